"""The person application: recipe, data and synthesizer, device features, sketch templates and CLI."""
