"""Output formats. Each module renders one Report; none of them decides the exit status."""
