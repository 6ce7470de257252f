# %% exercise="distill"
def distillation_loss(labels, teacher_logits, student_logits, temperature=4.0, alpha=0.1):
    student_logits = ops.cast(student_logits, "float32")
    teacher_logits = ops.cast(teacher_logits, "float32")
    classes = ops.shape(student_logits)[-1]
    hard = -ops.mean(ops.sum(ops.one_hot(labels, classes) * ops.log_softmax(student_logits), axis=-1))
    p_teacher = ops.softmax(teacher_logits / temperature)
    log_p_teacher = ops.log_softmax(teacher_logits / temperature)
    log_p_student = ops.log_softmax(student_logits / temperature)
    soft = ops.mean(ops.sum(p_teacher * (log_p_teacher - log_p_student), axis=-1))
    return alpha * hard + (1 - alpha) * temperature**2 * soft


# %% exercise="prune"
def prune(weights, sparsity):
    weights = np.asarray(weights)
    count = int(round(sparsity * weights.size))
    pruned = weights.copy()
    pruned.flat[np.argsort(np.abs(weights), axis=None)[:count]] = 0
    return pruned


# %% exercise="cluster"
def cluster(weights, k, iterations=20):
    weights = np.asarray(weights)
    values = weights.ravel().astype(np.float64)
    centroids = np.linspace(values.min(), values.max(), k)
    for _ in range(iterations):
        nearest = np.abs(values[:, None] - centroids).argmin(1)
        for c in range(k):
            if np.any(nearest == c):
                centroids[c] = values[nearest == c].mean()
    nearest = np.abs(values[:, None] - centroids).argmin(1)
    return centroids[nearest].reshape(weights.shape).astype(weights.dtype)
