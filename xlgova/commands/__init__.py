"""One module per CLI command (discovered by ``xlgova.cli``)."""
