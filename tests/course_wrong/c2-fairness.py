# %% exercise="group-rates" variant=1 expect="rates of group"
def group_rates(scores, said, groups, threshold):  # false accepts divided by all seconds
    scores, said, groups = np.asarray(scores), np.asarray(said), np.asarray(groups)
    rates = {}
    for name in np.unique(groups):
        mine = groups == name
        wake = scores[mine] >= threshold
        rates[str(name)] = (float(wake[said[mine] == 1].mean()), float((wake & (said[mine] == 0)).mean()))
    return rates


# %% exercise="group-rates" variant=2 expect="returns a dict per group"
def group_rates(scores, said, groups, threshold):  # overall rates only
    wake = np.asarray(scores) >= threshold
    said = np.asarray(said)
    return {"all": (float(wake[said == 1].mean()), float(wake[said == 0].mean()))}


# %% exercise="equal-opportunity" variant=1 expect="threshold of group"
def equal_opportunity_thresholds(scores, said, groups, target):  # the lowest threshold instead of the highest
    scores, said, groups = np.asarray(scores), np.asarray(said), np.asarray(groups)
    out = {}
    for name in np.unique(groups):
        mine = groups == name
        hits = scores[mine][said[mine] == 1]
        out[str(name)] = float(min(c for c in np.unique(scores[mine]) if np.mean(hits >= c) >= target))
    return out


# %% exercise="equal-opportunity" variant=2 expect="threshold of group"
def equal_opportunity_thresholds(scores, said, groups, target):  # one threshold for all groups
    scores, said = np.asarray(scores), np.asarray(said)
    hits = scores[said == 1]
    best = float(max(c for c in np.unique(scores) if np.mean(hits >= c) >= target))
    return {str(name): best for name in np.unique(groups)}
