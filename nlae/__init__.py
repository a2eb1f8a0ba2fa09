__version__ = "0.0.1"

# The package-level API (`from nlae import NLA`). nbdev leaves this file to us apart from the version line.
from .nla import NLA
from . import published  # adds the paper's released layout to the folders NLA.load reads
