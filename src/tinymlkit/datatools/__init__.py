"""Tools for data set folders of any kind: kinds, audit, stats, augmentation; split lists live in
:mod:`tinymlkit.data.split`."""
