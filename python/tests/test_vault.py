import pytest

import careguard

# The production floor (19 MiB, t=2) keeps the tests quick; apps use the default.
FAST = (19 * 1024, 2, 1)
NOW = 1_700_000_000


class Store:
    """An app's blob storage with the compare-and-swap the persist callback needs."""

    def __init__(self, blob):
        self.blob = blob
        self.writes = 0

    def persist(self, expected, new):
        if self.blob != expected:
            return False
        self.blob = new
        self.writes += 1
        return True


def test_create_unlock_lock_and_keys_revoked():
    vault, blob = careguard.Vault.create("730419", params=FAST)
    ring = vault.key_ring([1])
    sealed = careguard.seal(ring, b"bed 4", now=NOW)
    vault.lock()
    assert vault.locked
    with pytest.raises(careguard.KeyRevokedError):
        careguard.seal(ring, b"x", now=NOW)
    with pytest.raises(careguard.VaultLockedError):
        vault.key_ring([1])

    store = Store(blob)
    again = careguard.Vault.unlock(store.blob, "730419", store.persist, now=NOW)
    assert store.writes == 2  # the counted attempt, then the reset
    assert careguard.open(again.key_ring([1]), sealed, now=NOW).payload == b"bed 4"


def test_wrong_pin_is_counted_before_the_check_and_reports_the_counter():
    _, blob = careguard.Vault.create("730419", params=FAST)
    store = Store(blob)
    with pytest.raises(careguard.WrongPinError) as e:
        careguard.Vault.unlock(store.blob, "000000", store.persist, now=NOW)
    assert (e.value.code, e.value.failures, e.value.remaining) == (30, 1, 9)
    assert store.writes == 1 and store.blob != blob


def test_lockout_and_wipe_required():
    _, blob = careguard.Vault.create("730419", params=FAST)
    store = Store(blob)
    policy = careguard.LockoutPolicy(free_attempts=1, delays=[60], wipe_after=3)
    with pytest.raises(careguard.WrongPinError):
        careguard.Vault.unlock(store.blob, "000000", store.persist, now=NOW, policy=policy)
    with pytest.raises(careguard.LockedOutError) as e:
        careguard.Vault.unlock(store.blob, "730419", store.persist, now=NOW + 1, policy=policy)
    assert e.value.retry_at == NOW + 60
    with pytest.raises(careguard.WrongPinError):
        careguard.Vault.unlock(store.blob, "000000", store.persist, now=NOW + 61, policy=policy)
    # The third failure reaches wipe_after: the app must now store a tombstone.
    with pytest.raises(careguard.WipeRequiredError):
        careguard.Vault.unlock(store.blob, "000000", store.persist, now=NOW + 200, policy=policy)
    with pytest.raises(careguard.WipeRequiredError):
        careguard.Vault.unlock(store.blob, "730419", store.persist, now=NOW + 400, policy=policy)


def test_persist_callback_failures_stop_before_the_pin_is_checked():
    _, blob = careguard.Vault.create("730419", params=FAST)

    def broken(expected, new):
        raise OSError("disk full")

    with pytest.raises(careguard.PersistFailedError) as e:
        careguard.Vault.unlock(blob, "730419", broken, now=NOW)
    assert isinstance(e.value.__cause__, OSError)
    with pytest.raises(careguard.StaleBlobError):
        careguard.Vault.unlock(blob, "730419", lambda expected, new: False, now=NOW)
    with pytest.raises(careguard.PersistFailedError):
        careguard.Vault.unlock(blob, "730419", lambda expected, new: None, now=NOW)


def test_change_pin_keeps_keys_and_rejects_weak_pins():
    vault, blob = careguard.Vault.create("730419", params=FAST)
    sealed = careguard.seal(vault.key_ring([3]), b"x", now=NOW)
    with pytest.raises(careguard.WeakPinError):
        vault.change_pin("123456", params=FAST)
    new_blob = vault.change_pin("582914", params=FAST)
    store = Store(new_blob)
    with pytest.raises(careguard.WrongPinError):
        careguard.Vault.unlock(store.blob, "730419", store.persist, now=NOW)
    unlocked = careguard.Vault.unlock(store.blob, "582914", store.persist, now=NOW + 1)
    assert careguard.open(unlocked.key_ring([3]), sealed, now=NOW).payload == b"x"
    unlocked.lock()
    with pytest.raises(careguard.VaultLockedError):
        unlocked.change_pin("582914", params=FAST)


def test_device_secret_and_weak_params():
    secret = careguard.generate_key()
    _, blob = careguard.Vault.create("730419", device_secret=secret, params=FAST)
    store = Store(blob)
    with pytest.raises(careguard.DeviceSecretRequiredError):
        careguard.Vault.unlock(store.blob, "730419", store.persist, now=NOW)
    careguard.Vault.unlock(store.blob, "730419", store.persist, now=NOW + 1, device_secret=secret)
    with pytest.raises(careguard.ParamsTooWeakError):
        careguard.Vault.create("730419", params=(1024, 1, 1))
    with pytest.raises(careguard.WeakPinError):
        careguard.Vault.create("1234", params=FAST)
