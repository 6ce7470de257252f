# %% exercise="distill" variant=1 expect="value on random logits (T=4"
def distillation_loss(labels, teacher_logits, student_logits, temperature=4.0, alpha=0.1):  # forgets the T ** 2
    student_logits = ops.cast(student_logits, "float32")
    teacher_logits = ops.cast(teacher_logits, "float32")
    classes = ops.shape(student_logits)[-1]
    hard = -ops.mean(ops.sum(ops.one_hot(labels, classes) * ops.log_softmax(student_logits), axis=-1))
    p_teacher = ops.softmax(teacher_logits / temperature)
    soft = ops.mean(ops.sum(p_teacher * (ops.log(p_teacher) - ops.log_softmax(student_logits / temperature)), axis=-1))
    return alpha * hard + (1 - alpha) * soft


# %% exercise="distill" variant=2 expect="value on random logits (T=4"
def distillation_loss(labels, teacher_logits, student_logits, temperature=4.0, alpha=0.1):  # teacher not softened
    student_logits = ops.cast(student_logits, "float32")
    teacher_logits = ops.cast(teacher_logits, "float32")
    classes = ops.shape(student_logits)[-1]
    hard = -ops.mean(ops.sum(ops.one_hot(labels, classes) * ops.log_softmax(student_logits), axis=-1))
    log_t = ops.log_softmax(teacher_logits)
    soft = ops.mean(ops.sum(ops.exp(log_t) * (log_t - ops.log_softmax(student_logits / temperature)), axis=-1))
    return alpha * hard + (1 - alpha) * temperature**2 * soft


# %% exercise="distill" variant=3 expect="gives gradients for the student's logits"
def distillation_loss(labels, teacher_logits, student_logits, temperature=4.0, alpha=0.1):  # NumPy: no gradients
    import scipy.special

    s, t = np.asarray(student_logits, np.float64), np.asarray(teacher_logits, np.float64)
    hard = -np.mean(scipy.special.log_softmax(s, axis=-1)[np.arange(len(s)), np.asarray(labels)])
    log_t = scipy.special.log_softmax(t / temperature, axis=-1)
    log_s = scipy.special.log_softmax(s / temperature, axis=-1)
    soft = np.mean(np.sum(np.exp(log_t) * (log_t - log_s), axis=-1))
    return alpha * hard + (1 - alpha) * temperature**2 * soft


# %% exercise="prune" variant=1 expect="pruned the smallest magnitudes"
def prune(weights, sparsity):  # the most negative weights, not the smallest magnitudes
    weights = np.asarray(weights)
    pruned = weights.copy()
    pruned.flat[np.argsort(weights, axis=None)[: int(round(sparsity * weights.size))]] = 0
    return pruned


# %% exercise="prune" variant=2 expect="leaves the input unchanged"
def prune(weights, sparsity):  # zeroes the caller's array in place
    weights.flat[np.argsort(np.abs(weights), axis=None)[: int(round(sparsity * weights.size))]] = 0
    return weights


# %% exercise="prune" variant=3 expect="pruned the smallest magnitudes"
def prune(weights, sparsity):  # the same share in every row: not the smallest over the whole array
    pruned = np.array(weights, copy=True)
    per_row = int(round(sparsity * pruned.shape[1]))
    for row in pruned:
        row[np.argsort(np.abs(row))[:per_row]] = 0
    extra = int(round(sparsity * pruned.size)) - per_row * pruned.shape[0]
    if extra > 0:
        nonzero = np.flatnonzero(pruned)
        pruned.flat[nonzero[np.argsort(np.abs(pruned.flat[nonzero]))[:extra]]] = 0
    elif extra < 0:
        zeros = np.flatnonzero(pruned == 0)[: -extra]
        pruned.flat[zeros] = np.asarray(weights).flat[zeros]
    return pruned


# %% exercise="cluster" variant=1 expect="clustered weights"
def cluster(weights, k, iterations=20):  # evenly spaced levels, never moved: uniform quantization, not k-means
    weights = np.asarray(weights)
    levels = np.linspace(weights.min(), weights.max(), k)
    return levels[np.abs(weights.ravel()[:, None] - levels).argmin(1)].reshape(weights.shape).astype(weights.dtype)


# %% exercise="cluster" variant=2 expect="returns an array of the same shape"
def cluster(weights, k, iterations=20):  # returns the centroids instead of the clustered weights
    values = np.asarray(weights).ravel().astype(np.float64)
    centroids = np.linspace(values.min(), values.max(), k)
    for _ in range(iterations):
        nearest = np.abs(values[:, None] - centroids).argmin(1)
        for c in range(k):
            if np.any(nearest == c):
                centroids[c] = values[nearest == c].mean()
    return centroids
