"""The sine application: recipe, data and synthesizer, device features, sketch templates and CLI."""
