# %% exercise="group-rates"
def group_rates(scores, said, groups, threshold):
    scores, said, groups = np.asarray(scores), np.asarray(said), np.asarray(groups)
    rates = {}
    for name in np.unique(groups):
        mine = groups == name
        wake = scores[mine] >= threshold
        hits, others = said[mine] == 1, said[mine] == 0
        rates[str(name)] = (float(wake[hits].mean()), float(wake[others].mean()))
    return rates


# %% exercise="equal-opportunity"
def equal_opportunity_thresholds(scores, said, groups, target):
    scores, said, groups = np.asarray(scores), np.asarray(said), np.asarray(groups)
    thresholds = {}
    for name in np.unique(groups):
        mine = groups == name
        hits = scores[mine][said[mine] == 1]
        good = [c for c in np.unique(scores[mine]) if np.mean(hits >= c) >= target]
        thresholds[str(name)] = float(max(good))
    return thresholds
