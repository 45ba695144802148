"""Type stubs for the careguard package."""

from careguard._careguard import *  # noqa: F403
from careguard._careguard import CareguardError, __version__ as __version__

ERRORS_BY_CODE: dict[int, type[CareguardError]]
