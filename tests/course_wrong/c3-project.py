# %% exercise="labels" variant=1 expect="a repeated label raises ValueError"
def label_mapping(model_labels, challenge_labels):  # compares sets: a label given twice slips through
    if set(model_labels) != set(challenge_labels):
        raise ValueError("not the challenge's labels")
    return [list(challenge_labels).index(label) for label in model_labels]


# %% exercise="labels" variant=2 expect="mapping of"
def label_mapping(model_labels, challenge_labels):  # the inverse mapping: where each challenge label is in mine
    if sorted(model_labels) != sorted(challenge_labels):
        raise ValueError("not the challenge's labels")
    return [list(model_labels).index(label) for label in challenge_labels]


# %% exercise="labels" variant=3 expect="runs on"
def label_mapping(model_labels, challenge_labels):  # insists on the challenge's order
    if list(model_labels) != list(challenge_labels):
        raise ValueError("use the challenge's order")
    return list(range(len(model_labels)))


# %% exercise="contract" variant=1 expect="problems of models that keep the contract"
def contract_problems(input_shape, input_dtype, output_shape, output_dtype, challenge):  # only the first shape
    problems = [p for p, d in (("input dtype", input_dtype), ("output dtype", output_dtype)) if d != "int8"]
    if tuple(input_shape) != tuple(challenge.input.shapes[0]):
        problems.append("input shape")
    if tuple(output_shape) != (1, len(challenge.labels)):
        problems.append("output shape")
    return problems


# %% exercise="contract" variant=2 expect="problems of wrong input shapes"
def contract_problems(input_shape, input_dtype, output_shape, output_dtype, challenge):  # ignores the batch
    problems = [p for p, d in (("input dtype", input_dtype), ("output dtype", output_dtype)) if d != "int8"]
    if tuple(input_shape)[1:] not in [tuple(s)[1:] for s in challenge.input.shapes]:
        problems.append("input shape")
    if tuple(output_shape) != (1, len(challenge.labels)):
        problems.append("output shape")
    return problems


# %% exercise="contract" variant=3 expect="problems of wrong output shapes"
def contract_problems(input_shape, input_dtype, output_shape, output_dtype, challenge):  # counts the last axis only
    problems = [p for p, d in (("input dtype", input_dtype), ("output dtype", output_dtype)) if d != "int8"]
    if tuple(input_shape) not in challenge.input.shapes:
        problems.append("input shape")
    if output_shape[-1] != len(challenge.labels):
        problems.append("output shape")
    return problems
