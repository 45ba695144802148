"""Type stubs for careguard's native module (PyO3)."""

from typing import Any, Callable, ClassVar, Final, Literal, Optional, Sequence, final

__all__ = [
    "__version__",
    "KINDS",
    "CareguardError",
    "NullPointerError",
    "InvalidUtf8Error",
    "InvalidLengthError",
    "InvalidArgumentError",
    "InternalError",
    "PanicError",
    "MalformedError",
    "TruncatedError",
    "UnsupportedVersionError",
    "TamperedError",
    "TooLargeError",
    "WrongKeyError",
    "ExpiredError",
    "WrongBindingError",
    "WrongPinError",
    "WeakPinError",
    "LockedOutError",
    "WipeRequiredError",
    "WipedError",
    "VaultLockedError",
    "DeviceSecretRequiredError",
    "DeviceSecretUnexpectedError",
    "ParamsTooWeakError",
    "KdfFailedError",
    "PersistFailedError",
    "StaleBlobError",
    "KeyRevokedError",
    "BadSignatureError",
    "WrongDeviceError",
    "ReplayedError",
    "WrongEnrolmentError",
    "InvalidPatternError",
    "BadDeviceSignatureError",
    "BadAttestationError",
    "NotAttestedError",
    "RevokedError",
    "NotYetValidError",
    "NotARecipientError",
    "UnknownSenderError",
    "BadSenderSignatureError",
    "BadRevocationSignatureError",
    "SupersededCardError",
    "Finding",
    "Scanner",
    "Context",
    "Decision",
    "Reason",
    "KeyRing",
    "Opened",
    "generate_key",
    "derive_key_id",
    "seal",
    "open",
    "LockoutPolicy",
    "Vault",
    "RecipientEntry",
    "RecipientWarning",
    "AddressBook",
    "GroupMember",
    "GroupFinding",
    "review_group",
    "DeviceKeys",
    "AuditRecord",
    "AuditChain",
    "AuditLog",
    "AuditSummary",
    "verify_audit_log",
    "summarise_audit",
    "TrustPack",
    "EmergencyOrder",
]

__version__: Final[str]
KINDS: Final[list[str]]

_Kind = Literal[
    "nhs_number", "chi_number", "hc_number", "date_of_birth", "date", "person_name",
    "postcode", "phone_number", "email", "ni_number", "hospital_number",
]
_Subject = Literal["patient", "staff", "unknown"]

@final
class Finding:
    """One identifier: byte, UTF-16 and code-point ranges, confidence, rule, subject."""

    @property
    def kind(self) -> _Kind: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def start_utf16(self) -> int: ...
    @property
    def end_utf16(self) -> int: ...
    @property
    def start_char(self) -> int: ...
    @property
    def end_char(self) -> int: ...
    @property
    def confidence(self) -> float: ...
    @property
    def rule(self) -> str: ...
    @property
    def subject(self) -> _Subject: ...
    def to_dict(self) -> dict[str, object]: ...

@final
class Scanner:
    """The identifier scanner: build once, reuse; thread-safe."""

    def __new__(
        cls,
        *,
        kinds: Optional[Sequence[str]] = None,
        threshold: float = ...,
        staff_names: Sequence[str] = ...,
        hospital_number_patterns: Sequence[str] = ...,
        allow: Sequence[str] = ...,
        extra_given_names: Sequence[str] = ...,
        extra_surnames: Sequence[str] = ...,
        mask: Literal["placeholder", "partial"] = "placeholder",
    ) -> Scanner: ...
    def scan(self, text: str) -> list[Finding]: ...
    def has_findings(self, text: str) -> bool: ...
    def minimise(self, text: str) -> str: ...
    def scan_many(self, texts: Sequence[str]) -> list[list[Finding]]: ...
    def minimise_many(self, texts: Sequence[str]) -> list[str]: ...
    def scan_columns(self, texts: Sequence[Optional[str]]) -> dict[str, list[Any]]: ...
    def review(self, text: str, context: Optional[Context] = None) -> Decision: ...

@final
class Context:
    """Where a message is going."""

    def __new__(
        cls,
        conversation: Literal["clinical", "social", "broadcast"] = "clinical",
        *,
        platform_approved: bool = True,
        emergency: bool = False,
        staff_names: Sequence[str] = ...,
    ) -> Context: ...
    @property
    def conversation(self) -> str: ...
    @property
    def platform_approved(self) -> bool: ...
    @property
    def emergency(self) -> bool: ...
    @property
    def staff_names(self) -> list[str]: ...

@final
class Reason:
    @property
    def code(self) -> str: ...
    @property
    def guidance(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def kinds(self) -> list[_Kind]: ...

@final
class Decision:
    @property
    def verdict(self) -> Literal["allow", "warn", "block"]: ...
    @property
    def reasons(self) -> list[Reason]: ...
    @property
    def suggestion(self) -> Optional[str]: ...

@final
class KeyRing:
    """Key-encryption keys by id; the last added seals."""

    def __new__(cls) -> KeyRing: ...
    def insert(self, key_id: int, key: bytes) -> None: ...
    def remove(self, key_id: int) -> bool: ...
    @property
    def sealing_key_id(self) -> Optional[int]: ...
    @property
    def key_ids(self) -> list[int]: ...

@final
class Opened:
    @property
    def payload(self) -> bytes: ...
    @property
    def content_type(self) -> str: ...
    @property
    def created_at(self) -> int: ...
    @property
    def expires_at(self) -> Optional[int]: ...
    @property
    def message_id(self) -> bytes: ...

def generate_key() -> bytes: ...
def derive_key_id(key: bytes) -> int: ...
def seal(
    ring: KeyRing,
    payload: bytes,
    *,
    now: int,
    conversation_id: bytes = ...,
    sender_id: bytes = ...,
    content_type: str = "",
    expires_at: Optional[int] = None,
    padding: bool = True,
) -> bytes: ...
def open(
    ring: KeyRing,
    envelope: bytes,
    *,
    now: int,
    conversation_id: bytes = ...,
    sender_id: bytes = ...,
) -> Opened: ...

@final
class LockoutPolicy:
    def __new__(
        cls, *, free_attempts: int = 5, delays: Sequence[int] = ..., wipe_after: int = 10
    ) -> LockoutPolicy: ...

@final
class Vault:
    """An unlocked PIN vault."""

    @staticmethod
    def create(
        pin: str, *, device_secret: Optional[bytes] = None, params: Optional[tuple[int, int, int]] = None
    ) -> tuple[Vault, bytes]: ...
    @staticmethod
    def unlock(
        blob: bytes,
        pin: str,
        persist: Callable[[bytes, bytes], bool],
        *,
        now: int,
        device_secret: Optional[bytes] = None,
        policy: Optional[LockoutPolicy] = None,
    ) -> Vault: ...
    def key_ring(self, key_ids: Sequence[int]) -> KeyRing: ...
    def change_pin(
        self, new_pin: str, *, device_secret: Optional[bytes] = None, params: Optional[tuple[int, int, int]] = None
    ) -> bytes: ...
    def blob(self) -> bytes: ...
    def lock(self) -> None: ...
    @property
    def locked(self) -> bool: ...

class CareguardError(Exception):
    """Base of every careguard error; `code` and `name` are the C ABI status."""

    code: ClassVar[int]
    name: ClassVar[str]

class NullPointerError(CareguardError):
    """C ABI status `null_pointer` (1)."""

    code: ClassVar[int]
    name: ClassVar[str]

class InvalidUtf8Error(CareguardError, ValueError):
    """C ABI status `invalid_utf8` (2)."""

    code: ClassVar[int]
    name: ClassVar[str]

class InvalidLengthError(CareguardError, ValueError):
    """C ABI status `invalid_length` (3)."""

    code: ClassVar[int]
    name: ClassVar[str]

class InvalidArgumentError(CareguardError, ValueError):
    """C ABI status `invalid_argument` (4)."""

    code: ClassVar[int]
    name: ClassVar[str]

class InternalError(CareguardError):
    """C ABI status `internal` (8)."""

    code: ClassVar[int]
    name: ClassVar[str]

class PanicError(CareguardError):
    """C ABI status `panic` (9)."""

    code: ClassVar[int]
    name: ClassVar[str]

class MalformedError(CareguardError):
    """C ABI status `malformed` (10)."""

    code: ClassVar[int]
    name: ClassVar[str]

class TruncatedError(CareguardError):
    """C ABI status `truncated` (11)."""

    code: ClassVar[int]
    name: ClassVar[str]

class UnsupportedVersionError(CareguardError):
    """C ABI status `unsupported_version` (12)."""

    code: ClassVar[int]
    name: ClassVar[str]

class TamperedError(CareguardError):
    """C ABI status `tampered` (13)."""

    code: ClassVar[int]
    name: ClassVar[str]

class TooLargeError(CareguardError, ValueError):
    """C ABI status `too_large` (14)."""

    code: ClassVar[int]
    name: ClassVar[str]

class WrongKeyError(CareguardError):
    """C ABI status `wrong_key` (20)."""

    code: ClassVar[int]
    name: ClassVar[str]

class ExpiredError(CareguardError):
    """C ABI status `expired` (21)."""

    code: ClassVar[int]
    name: ClassVar[str]

class WrongBindingError(CareguardError):
    """C ABI status `wrong_binding` (22)."""

    code: ClassVar[int]
    name: ClassVar[str]

class WrongPinError(CareguardError):
    """C ABI status `wrong_pin` (30)."""

    code: ClassVar[int]
    name: ClassVar[str]

class WeakPinError(CareguardError, ValueError):
    """C ABI status `weak_pin` (31)."""

    code: ClassVar[int]
    name: ClassVar[str]

class LockedOutError(CareguardError):
    """C ABI status `locked_out` (32)."""

    code: ClassVar[int]
    name: ClassVar[str]

class WipeRequiredError(CareguardError):
    """C ABI status `wipe_required` (33)."""

    code: ClassVar[int]
    name: ClassVar[str]

class WipedError(CareguardError):
    """C ABI status `wiped` (34)."""

    code: ClassVar[int]
    name: ClassVar[str]

class VaultLockedError(CareguardError):
    """C ABI status `vault_locked` (35)."""

    code: ClassVar[int]
    name: ClassVar[str]

class DeviceSecretRequiredError(CareguardError):
    """C ABI status `device_secret_required` (36)."""

    code: ClassVar[int]
    name: ClassVar[str]

class DeviceSecretUnexpectedError(CareguardError):
    """C ABI status `device_secret_unexpected` (37)."""

    code: ClassVar[int]
    name: ClassVar[str]

class ParamsTooWeakError(CareguardError, ValueError):
    """C ABI status `params_too_weak` (38)."""

    code: ClassVar[int]
    name: ClassVar[str]

class KdfFailedError(CareguardError):
    """C ABI status `kdf_failed` (39)."""

    code: ClassVar[int]
    name: ClassVar[str]

class PersistFailedError(CareguardError):
    """C ABI status `persist_failed` (40)."""

    code: ClassVar[int]
    name: ClassVar[str]

class StaleBlobError(CareguardError):
    """C ABI status `stale_blob` (41)."""

    code: ClassVar[int]
    name: ClassVar[str]

class KeyRevokedError(CareguardError):
    """C ABI status `key_revoked` (42)."""

    code: ClassVar[int]
    name: ClassVar[str]

class BadSignatureError(CareguardError):
    """C ABI status `bad_signature` (50)."""

    code: ClassVar[int]
    name: ClassVar[str]

class WrongDeviceError(CareguardError):
    """C ABI status `wrong_device` (51)."""

    code: ClassVar[int]
    name: ClassVar[str]

class ReplayedError(CareguardError):
    """C ABI status `replayed` (52)."""

    code: ClassVar[int]
    name: ClassVar[str]

class WrongEnrolmentError(CareguardError):
    """C ABI status `wrong_enrolment` (53)."""

    code: ClassVar[int]
    name: ClassVar[str]

class InvalidPatternError(CareguardError, ValueError):
    """C ABI status `invalid_pattern` (70)."""

    code: ClassVar[int]
    name: ClassVar[str]

class BadDeviceSignatureError(CareguardError):
    """C ABI status `bad_device_signature` (90)."""

    code: ClassVar[int]
    name: ClassVar[str]

class BadAttestationError(CareguardError):
    """C ABI status `bad_attestation` (91)."""

    code: ClassVar[int]
    name: ClassVar[str]

class NotAttestedError(CareguardError):
    """C ABI status `not_attested` (92)."""

    code: ClassVar[int]
    name: ClassVar[str]

class RevokedError(CareguardError):
    """C ABI status `revoked` (93)."""

    code: ClassVar[int]
    name: ClassVar[str]

class NotYetValidError(CareguardError):
    """C ABI status `not_yet_valid` (94)."""

    code: ClassVar[int]
    name: ClassVar[str]

class NotARecipientError(CareguardError):
    """C ABI status `not_a_recipient` (95)."""

    code: ClassVar[int]
    name: ClassVar[str]

class UnknownSenderError(CareguardError):
    """C ABI status `unknown_sender` (96)."""

    code: ClassVar[int]
    name: ClassVar[str]

class BadSenderSignatureError(CareguardError):
    """C ABI status `bad_sender_signature` (97)."""

    code: ClassVar[int]
    name: ClassVar[str]

class BadRevocationSignatureError(CareguardError):
    """C ABI status `bad_revocation_signature` (98)."""

    code: ClassVar[int]
    name: ClassVar[str]

class SupersededCardError(CareguardError):
    """C ABI status `superseded_card` (99)."""

    code: ClassVar[int]
    name: ClassVar[str]

# Safe sending, audit logs and Trust policy packs (issue 17).

@final
class RecipientEntry:
    """A contact or group in the address book (or the chosen recipient)."""

    def __new__(
        cls,
        id: str,
        display_name: str,
        *,
        kind: Literal["contact", "group"] = "contact",
        attested: bool = False,
        verification: Literal["unverified", "attested_by_organisation", "verified_in_person"] = "unverified",
        purpose: Literal["clinical", "operational", "social"] = "clinical",
        members_outside_trust: int = 0,
        identifiers_sent_before: bool = False,
    ) -> RecipientEntry: ...
    @property
    def id(self) -> str: ...
    @property
    def display_name(self) -> str: ...

@final
class RecipientWarning:
    """A reason to check the recipient before sending."""

    @property
    def code(self) -> str: ...
    @property
    def guidance(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def alternative_id(self) -> Optional[str]: ...
    @property
    def alternative_name(self) -> Optional[str]: ...
    @property
    def confusion(self) -> Optional[str]: ...
    @property
    def distance(self) -> Optional[int]: ...
    @property
    def members(self) -> Optional[int]: ...

@final
class AddressBook:
    """The user's contacts and groups, indexed for the right-recipient check."""

    def __new__(cls, entries: Sequence[RecipientEntry]) -> AddressBook: ...
    def check(
        self, chosen: RecipientEntry, *, patient_identifiers: bool, clinical: bool
    ) -> list[RecipientWarning]: ...
    def __len__(self) -> int: ...

@final
class GroupMember:
    """A group member: device card bytes, join time, verified in person."""

    def __new__(cls, card: bytes, joined_at: int, *, verified_in_person: bool = False) -> GroupMember: ...
    @property
    def staff_id(self) -> str: ...

@final
class GroupFinding:
    """Something a group administrator must act on."""

    @property
    def code(self) -> str: ...
    @property
    def staff_id(self) -> Optional[str]: ...
    @property
    def device_id(self) -> Optional[bytes]: ...
    @property
    def card_error(self) -> Optional[str]: ...
    @property
    def at(self) -> Optional[int]: ...
    @property
    def count(self) -> Optional[int]: ...
    @property
    def max(self) -> Optional[int]: ...

def review_group(
    name: str,
    purpose: Literal["clinical", "operational", "social"],
    members: Sequence[GroupMember],
    *,
    last_review: int,
    now: int,
    clinical_messages_since_review: int = 0,
    org_public_keys: Sequence[bytes] = ...,
    require_attestation: bool = False,
    revocation_list: Optional[bytes] = None,
    review_interval_secs: Optional[int] = None,
    max_members: Optional[int] = None,
) -> list[GroupFinding]: ...

@final
class DeviceKeys:
    """This device's signing keys; keep them wrapped in the vault."""

    @staticmethod
    def generate() -> DeviceKeys: ...
    @staticmethod
    def unwrap_from_vault(vault: Vault, wrapped: bytes) -> DeviceKeys: ...
    def wrap_in_vault(self, vault: Vault) -> bytes: ...
    @property
    def device_id(self) -> bytes: ...
    @property
    def audit_public_key(self) -> bytes: ...

@final
class AuditRecord:
    """One decision, without content."""

    def __new__(
        cls,
        time: int,
        conversation: Literal["clinical", "social", "broadcast"],
        verdict: Literal["allow", "warn", "block"],
        action: Literal["sent", "sent_minimised", "cancelled", "overridden"],
        *,
        emergency: bool = False,
        kinds: dict[str, int] = ...,
        reason: Optional[str] = None,
        scanner: Optional[Scanner] = None,
    ) -> AuditRecord: ...
    @property
    def time(self) -> int: ...
    @property
    def conversation(self) -> str: ...
    @property
    def verdict(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def emergency(self) -> bool: ...
    @property
    def kinds(self) -> dict[str, int]: ...
    @property
    def reason(self) -> str: ...

@final
class AuditChain:
    """A device's audit-log writer."""

    def __new__(cls, keys: DeviceKeys) -> AuditChain: ...
    @staticmethod
    def restore(state: bytes) -> AuditChain: ...
    def seal(self, records: Sequence[AuditRecord], keys: DeviceKeys) -> bytes: ...
    def state(self) -> bytes: ...
    def head(self) -> bytes: ...

@final
class AuditLog:
    """A verified audit log."""

    @property
    def records(self) -> list[AuditRecord]: ...
    @property
    def device_id(self) -> bytes: ...
    @property
    def segments(self) -> int: ...
    @property
    def head(self) -> bytes: ...

@final
class AuditSummary:
    """Totals over audit records."""

    @property
    def records(self) -> int: ...
    @property
    def allowed(self) -> int: ...
    @property
    def warned(self) -> int: ...
    @property
    def blocked(self) -> int: ...
    @property
    def emergency(self) -> int: ...
    @property
    def actions(self) -> dict[str, int]: ...
    @property
    def conversations(self) -> dict[str, int]: ...
    @property
    def kinds(self) -> dict[str, int]: ...
    @property
    def span(self) -> Optional[tuple[int, int]]: ...

def verify_audit_log(log: bytes, device_public_key: bytes, expected_head: Optional[bytes] = None) -> AuditLog: ...
def summarise_audit(records: Sequence[AuditRecord]) -> AuditSummary: ...

@final
class TrustPack:
    """A verified Trust policy pack."""

    @staticmethod
    def verify(
        pack: bytes, org_public_keys: Sequence[bytes], *, now: int, accepted_version: Optional[int] = None
    ) -> TrustPack: ...
    @property
    def version(self) -> int: ...
    @property
    def issued_at(self) -> int: ...
    @property
    def expires_at(self) -> int: ...
    @property
    def approved_platforms(self) -> list[str]: ...
    @property
    def hospital_number_patterns(self) -> list[str]: ...
    @property
    def allow_list(self) -> list[str]: ...
    @property
    def emergency_allowed(self) -> bool: ...
    @property
    def emergency_max_secs(self) -> int: ...
    @property
    def group_review_interval_secs(self) -> int: ...
    @property
    def group_max_members(self) -> int: ...
    @property
    def notification_detail(self) -> str: ...
    def retention(
        self, conversation: Literal["clinical", "social", "broadcast"]
    ) -> tuple[Optional[int], Optional[int], int]: ...
    def platform_approved(self, platform: str) -> bool: ...
    def scanner(self) -> Scanner: ...
    def verify_emergency(self, order: bytes, org_public_keys: Sequence[bytes], *, now: int) -> EmergencyOrder: ...

@final
class EmergencyOrder:
    """A verified emergency (network-outage) order."""

    @property
    def id(self) -> int: ...
    @property
    def starts_at(self) -> int: ...
    @property
    def ends_at(self) -> int: ...
    @property
    def pack_version(self) -> int: ...
    def in_force(self, now: int) -> bool: ...
