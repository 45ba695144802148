"""careguard: find, minimise and review patient identifiers in clinical messages;
seal messages in envelopes; keep keys in a PIN vault.

The work is done by the careguard Rust library (compiled into ``careguard._careguard``
with PyO3); this package adds the pandas, Spark and Presidio adapters in
``careguard.pandas``, ``careguard.spark`` and ``careguard.presidio``.

Errors are subclasses of :class:`CareguardError` whose ``code`` and ``name`` are the
C ABI's status code and name (``WrongKeyError.code == 20``).
"""

from careguard import _careguard
from careguard._careguard import (
    KINDS,
    CareguardError,
    Context,
    Decision,
    Finding,
    KeyRing,
    LockoutPolicy,
    Opened,
    Reason,
    Scanner,
    Vault,
    __version__,
    derive_key_id,
    generate_key,
    open,  # noqa: A004 - careguard.open(ring, envelope, now=...) mirrors seal
    seal,
)
# Safe sending, audit logs and Trust policy packs (issue 17).
from careguard._careguard import (
    AddressBook,
    AuditChain,
    AuditLog,
    AuditRecord,
    AuditSummary,
    DeviceKeys,
    EmergencyOrder,
    GroupFinding,
    GroupMember,
    RecipientEntry,
    RecipientWarning,
    TrustPack,
    review_group,
    summarise_audit,
    verify_audit_log,
)

#: Every exception class by C ABI status code.
ERRORS_BY_CODE = {
    cls.code: cls
    for cls in vars(_careguard).values()
    if isinstance(cls, type) and issubclass(cls, CareguardError) and cls is not CareguardError
}
globals().update({cls.__name__: cls for cls in ERRORS_BY_CODE.values()})

__all__ = [
    "KINDS",
    "ERRORS_BY_CODE",
    "CareguardError",
    "Context",
    "Decision",
    "Finding",
    "KeyRing",
    "LockoutPolicy",
    "Opened",
    "Reason",
    "Scanner",
    "Vault",
    "__version__",
    "derive_key_id",
    "generate_key",
    "seal",
    "AddressBook",
    "AuditChain",
    "AuditLog",
    "AuditRecord",
    "AuditSummary",
    "DeviceKeys",
    "EmergencyOrder",
    "GroupFinding",
    "GroupMember",
    "RecipientEntry",
    "RecipientWarning",
    "TrustPack",
    "review_group",
    "summarise_audit",
    "verify_audit_log",
    *sorted(cls.__name__ for cls in ERRORS_BY_CODE.values()),
]
