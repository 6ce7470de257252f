# %% exercise="precision-recall" variant=1 expect="precision and recall of random predictions"
def precision_recall(y_true, y_pred):  # swapped
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp = np.sum((y_true == 1) & (y_pred == 1))
    fp = np.sum((y_true == 0) & (y_pred == 1))
    fn = np.sum((y_true == 1) & (y_pred == 0))
    return float(tp / (tp + fn)), float(tp / (tp + fp))


# %% exercise="precision-recall" variant=2 expect="a detector that never wakes up"
def precision_recall(y_true, y_pred):  # divides by zero
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp = np.sum((y_true == 1) & (y_pred == 1))
    fp = np.sum((y_true == 0) & (y_pred == 1))
    fn = np.sum((y_true == 1) & (y_pred == 0))
    return float(tp / (tp + fp)), float(tp / (tp + fn))


# %% exercise="threshold" variant=1 expect="threshold for precision"
def choose_threshold(scores, y_true, min_precision):  # the highest precision instead of the highest recall
    scores, y_true = np.asarray(scores), np.asarray(y_true)
    best, best_p = None, -1.0
    for threshold in np.unique(scores):
        p, r = precision_recall(y_true, scores >= threshold)
        if p >= min_precision and p > best_p:
            best, best_p = float(threshold), p
    return best


# %% exercise="threshold" variant=2 expect="returns None when no threshold"
def choose_threshold(scores, y_true, min_precision):  # falls back to 0.5
    scores, y_true = np.asarray(scores), np.asarray(y_true)
    best, best_recall = 0.5, -1.0
    for threshold in np.unique(scores):
        precision, recall = precision_recall(y_true, scores >= threshold)
        if precision >= min_precision and recall >= best_recall:
            best, best_recall = float(threshold), recall
    return best
