# %% exercise="precision-recall"
def precision_recall(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp = np.sum((y_true == 1) & (y_pred == 1))
    fp = np.sum((y_true == 0) & (y_pred == 1))
    fn = np.sum((y_true == 1) & (y_pred == 0))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return float(precision), float(recall)


# %% exercise="threshold"
def choose_threshold(scores, y_true, min_precision):
    scores, y_true = np.asarray(scores), np.asarray(y_true)
    best, best_recall = None, -1.0
    for threshold in np.unique(scores):
        precision, recall = precision_recall(y_true, scores >= threshold)
        if precision >= min_precision and recall >= best_recall:
            best, best_recall = float(threshold), recall
    return best
