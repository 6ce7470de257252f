# %% exercise="labels"
def label_mapping(model_labels, challenge_labels):
    model_labels, challenge_labels = list(model_labels), list(challenge_labels)
    if sorted(model_labels) != sorted(challenge_labels):
        raise ValueError(f"labels {model_labels} are not the challenge's {challenge_labels}, each once")
    return [challenge_labels.index(label) for label in model_labels]


# %% exercise="contract"
def contract_problems(input_shape, input_dtype, output_shape, output_dtype, challenge):
    problems = []
    if input_dtype != "int8":
        problems.append("input dtype")
    if output_dtype != "int8":
        problems.append("output dtype")
    if tuple(input_shape) not in challenge.input.shapes:
        problems.append("input shape")
    output_shape = tuple(output_shape)
    if len(output_shape) < 2 or output_shape[0] != 1 or math.prod(output_shape[1:]) != len(challenge.labels):
        problems.append("output shape")
    return problems
