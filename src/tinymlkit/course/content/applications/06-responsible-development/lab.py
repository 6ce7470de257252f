# %% [markdown]
# # Lab: a wake-word detector audited per voice group
#
# A detector trained mostly on adult voices scores three groups of speakers: adults, children and accented
# speakers. You measure its rates per group and compare threshold strategies.
#
# Cells marked **Exercise** are graded: `tinyml course check c2-fairness`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import matplotlib.pyplot as plt
import numpy as np

from tinymlkit.course.datasets import grouped_wake_word_scores

# %% [markdown]
# ## 1. Scores per group
# One score per second of audio; `said` marks the seconds with the wake word; `groups` names the speaker's
# group. (Simulated scores with the pattern real audits find.)

# %%
scores, said, groups = grouped_wake_word_scores(seconds_per_group=1500, seed=0)
for name in np.unique(groups):
    mine = groups == name
    plt.hist(scores[mine & (said == 1)], bins=30, alpha=0.5, label=f"{name}: wake word")
plt.xlabel("score")
plt.legend()
plt.show()

# %% [markdown]
# ## Exercise `group-rates`
# For each group (`np.unique(groups)`): wake = `scores >= threshold`; true accept rate = share of the group's
# `said == 1` seconds that wake; false accept rate = share of its `said == 0` seconds that wake.

# %% exercise="group-rates"
def group_rates(scores, said, groups, threshold):
    scores, said, groups = np.asarray(scores), np.asarray(said), np.asarray(groups)
    raise NotImplementedError  # your code here


# %%
single = 0.5
for name, (tar, far) in group_rates(scores, said, groups, single).items():
    print(f"single threshold {single}: {name:7s} true accepts {tar:.3f}, false accepts {far:.3f}")

# %% [markdown]
# ## Exercise `equal-opportunity`
# For each group, try its own scores as thresholds, keep those where the group's true accept rate is at least
# `target`, and return the highest of them.

# %% exercise="equal-opportunity"
def equal_opportunity_thresholds(scores, said, groups, target):
    scores, said, groups = np.asarray(scores), np.asarray(said), np.asarray(groups)
    raise NotImplementedError  # your code here


# %%
thresholds = equal_opportunity_thresholds(scores, said, groups, target=0.9)
for name, threshold in thresholds.items():
    tar, far = group_rates(scores, said, groups, threshold)[name]
    print(f"equal opportunity: {name:7s} threshold {threshold:.3f}, true accepts {tar:.3f}, false accepts {far:.3f}")

# %% [markdown]
# ## 2. Demographic parity and equal accuracy
# Demographic parity: each group wakes the device equally often (here 20 % of seconds). Equal accuracy: pick,
# per group, the threshold whose accuracy is closest to a common target.

# %%
def parity_threshold(group_scores, wake_share):
    return float(np.quantile(group_scores, 1 - wake_share))


def accuracy_threshold(group_scores, group_said, target):
    candidates = np.unique(group_scores)
    accuracy = np.array([np.mean((group_scores >= c) == group_said) for c in candidates])
    return float(candidates[np.argmin(np.abs(accuracy - target))])


for name in np.unique(groups):
    mine = groups == name
    p = parity_threshold(scores[mine], 0.2)
    a = accuracy_threshold(scores[mine], said[mine], 0.9)
    tar_p, far_p = group_rates(scores, said, groups, p)[name]
    tar_a, far_a = group_rates(scores, said, groups, a)[name]
    print(f"{name:7s} parity: threshold {p:.2f} TAR {tar_p:.2f} FAR {far_p:.3f} | "
          f"equal accuracy: threshold {a:.2f} TAR {tar_a:.2f} FAR {far_a:.3f}")

# %% [markdown]
# **Think about it**: which strategy would you ship, and what would you tell the users it does not solve?
# Which data would you collect next?
