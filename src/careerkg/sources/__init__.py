"""Sources of career facts. Each module reads one kind of input and yields records or
triples; none of them writes the store (that is :mod:`careerkg.build`'s job)."""
