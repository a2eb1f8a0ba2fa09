__version__ = "0.0.1"

# The package-level API (`from nlae import NLA`). nbdev leaves this file to us apart from the version line.
from .reconstructor import NLA
