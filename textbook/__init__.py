"""A static site generator for multilingual, math-heavy, interactive textbooks."""
