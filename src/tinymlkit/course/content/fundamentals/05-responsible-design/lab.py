# %% [markdown]
# # Lab: precision, recall and the wake-word threshold of a home assistant
#
# A keyword detector gives each second of audio a score: how sure it is that the wake word was said. You
# measure precision and recall, and choose the threshold that keeps false wake-ups rare.
#
# Cells marked **Exercise** are graded: `tinyml course check c1-home-assistant`.

# %%
# Everything from TinyML Kit this lab uses, in one place.
import matplotlib.pyplot as plt
import numpy as np

from tinymlkit.course.datasets import wake_word_scores

# %% [markdown]
# ## 1. Scores of a detector
# One score per second of audio from a living room; `said` is 1 where someone really said the wake word.
# (The scores are simulated: a detector that gives higher scores to the wake word, with overlap, as real
# detectors do.)

# %%
scores, said = wake_word_scores(seconds=2000, seed=0)
plt.hist(scores[said == 0], bins=40, alpha=0.6, label="no wake word")
plt.hist(scores[said == 1], bins=40, alpha=0.6, label="wake word said")
plt.xlabel("score")
plt.legend()
plt.show()
print(f"{said.sum()} of {len(said)} seconds contain the wake word")

# %% [markdown]
# ## Exercise `precision-recall`
# Count true positives, false positives and false negatives with NumPy (`np.sum((y_true == 1) & (y_pred == 1))`
# ...). Precision = TP / (TP + FP), recall = TP / (TP + FN); return 0.0 when a denominator is 0.

# %% exercise="precision-recall"
def precision_recall(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    raise NotImplementedError  # your code here


# %%
for threshold in (0.3, 0.5, 0.7, 0.9):
    p, r = precision_recall(said, scores >= threshold)
    print(f"threshold {threshold}: precision {p:.3f}, recall {r:.3f}")

# %% [markdown]
# ## Exercise `threshold`
# Try every distinct score as a threshold. Keep those whose precision is at least `min_precision`; return the
# one with the highest recall (the highest threshold among ties), or `None` if there is none.

# %% exercise="threshold"
def choose_threshold(scores, y_true, min_precision):
    scores, y_true = np.asarray(scores), np.asarray(y_true)
    raise NotImplementedError  # your code here


# %%
for target in (0.8, 0.95, 0.99):
    t = choose_threshold(scores, said, target)
    p, r = precision_recall(said, scores >= t) if t is not None else (float("nan"), float("nan"))
    print(f"precision >= {target}: threshold {t}, precision {p:.3f}, recall {r:.3f}")

# %% [markdown]
# **Think about it**: the owner lives with children whose voices the detector scores lower. Which of them pays
# for a high threshold? What could you measure to find out? (Course 2, unit "Responsible AI development".)
