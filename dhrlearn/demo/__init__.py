"""The fictional demo corpus: generator, file writers and the `demo` command."""
