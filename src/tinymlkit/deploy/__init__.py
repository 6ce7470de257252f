"""Deployment files: the model as .tflite and C array, and the Arduino sketch rendered from an application's
templates. The package is callable: ``tinymlkit.deploy(model, folder, recipe, ...)`` is
:func:`tinymlkit.deploy.package.deploy`."""

import sys
import types


class _CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs):
        from tinymlkit.deploy.package import deploy

        return deploy(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
