"""One module per console section; each holds its routes (`router`)."""
