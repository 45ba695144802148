"""Vault lifecycle, idle lock, write-ahead counter, and wipes through ctypes."""

import ctypes
import threading

import careguard_ctypes as cg
import pytest

NOW = 1_700_000_000
MIN_PARAMS = cg.CgKdfParams(19456, 2, 1)


class Store:
    """The app's blob storage: a compare-and-swap behind the fail-closed persist callback.
    With `fail` set it raises, as a full disk would."""

    def __init__(self, blob=b""):
        self.blob, self.calls, self.fail = blob, 0, False
        self.lock = threading.Lock()
        self.callback = cg.persist_callback(self.compare_and_swap)

    def compare_and_swap(self, expected, new):
        with self.lock:
            self.calls += 1
            if self.fail:
                raise OSError("disk full")
            if self.blob != expected:
                return False
            self.blob = new
            return True


def create(pin=b"730419", device=None, idle=300, now=NOW):
    vault, blob = ctypes.c_void_p(), cg.CgBytes()
    ds, ds_len = (device, len(device)) if device else (None, 0)
    cg.check(
        cg.lib.cg_vault_create(pin, len(pin), ds, ds_len, ctypes.byref(MIN_PARAMS), idle, now, ctypes.byref(vault),
                               ctypes.byref(blob)),
        "cg_vault_create",
    )
    return vault, blob.take()


def unlock(store, pin, device=None, now=NOW, policy=None, blob=None, callback=None):
    """One attempt from the stored blob (or from `blob`, a copy the app kept)."""
    vault, reset, info = ctypes.c_void_p(), cg.CgBytes(), cg.CgUnlockInfo()
    ds, ds_len = (device, len(device)) if device else (None, 0)
    blob = store.blob if blob is None else blob
    status = cg.lib.cg_vault_unlock(
        blob, len(blob), pin, len(pin), ds, ds_len, ctypes.byref(policy) if policy else None, 300, now,
        callback or store.callback, None, ctypes.byref(vault), ctypes.byref(reset), ctypes.byref(info),
    )
    return status, vault, reset.take(), info


def test_default_params():
    p = cg.CgKdfParams()
    cg.check(cg.lib.cg_kdf_params_default(ctypes.byref(p)), "default")
    assert (p.m_kib, p.t_cost, p.p_cost) == (65536, 3, 1)


def test_calibrate_never_goes_below_default():
    p = cg.CgKdfParams()
    cg.check(cg.lib.cg_kdf_params_calibrate(1, 0, ctypes.byref(p)), "calibrate")
    assert p.m_kib >= 65536 and p.t_cost >= 3


@pytest.mark.parametrize("pin", [b"123456", b"000000", b"12", b"121212", b"abcdef"])
def test_weak_pins_are_refused(pin):
    vault, blob = ctypes.c_void_p(), cg.CgBytes()
    status = cg.lib.cg_vault_create(pin, len(pin), None, 0, None, 300, NOW, ctypes.byref(vault), ctypes.byref(blob))
    assert status == cg.WEAK_PIN and not vault and not blob.data
    assert b"pin" in cg.lib.cg_last_error_message()
    assert pin not in cg.lib.cg_last_error_message()  # never echo the PIN


def test_weak_params_and_bad_device_secret():
    vault, blob = ctypes.c_void_p(), cg.CgBytes()
    weak = cg.CgKdfParams(1024, 1, 1)
    assert cg.lib.cg_vault_create(b"730419", 6, None, 0, ctypes.byref(weak), 300, NOW, ctypes.byref(vault),
                                  ctypes.byref(blob)) == cg.PARAMS_TOO_WEAK
    assert cg.lib.cg_vault_create(b"730419", 6, bytes(16), 16, None, 300, NOW, ctypes.byref(vault),
                                  ctypes.byref(blob)) == cg.INVALID_LENGTH


def test_lifecycle_with_device_secret():
    device = cg.key_generate()
    vault, blob = create(device=device)
    st = cg.blob_status(blob)
    assert not st.wiped and st.device_bound and st.failures == 0

    wrapped = cg.out_bytes(cg.lib.cg_vault_wrap_secret, vault, b"id", 2, b"secret", 6, NOW + 1)
    assert cg.out_bytes(cg.lib.cg_vault_unwrap_secret, vault, b"id", 2, wrapped, len(wrapped), NOW + 2) == b"secret"
    new_blob = cg.out_bytes(cg.lib.cg_vault_change_pin, vault, b"580207", 6, device, 32, None, NOW + 3)
    cg.lib.cg_vault_free(vault)

    store = Store(new_blob)
    status, v, _, info = unlock(store, b"730419", device, NOW + 10)
    assert status == cg.WRONG_PIN and not v
    assert (info.failures, info.remaining, info.retry_at) == (1, 9, 0)
    assert store.calls == 1 and cg.blob_status(store.blob).failures == 1  # written ahead

    status, v, _, _ = unlock(store, b"580207", None, NOW + 11)
    assert status == cg.DEVICE_SECRET_REQUIRED
    store.fail = True
    status, v, _, _ = unlock(store, b"580207", device, NOW + 12)
    assert status == cg.PERSIST_FAILED and not v
    store.fail = False

    status, v, reset, _ = unlock(store, b"580207", device, NOW + 13)
    assert status == cg.OK and v
    assert cg.blob_status(reset).failures == 0
    assert cg.out_bytes(cg.lib.cg_vault_unwrap_secret, v, b"id", 2, wrapped, len(wrapped), NOW + 14) == b"secret"
    cg.lib.cg_vault_free(v)


def test_escalating_delay_then_wipe():
    vault, blob = create()
    cg.lib.cg_vault_free(vault)
    delays = (ctypes.c_uint64 * 1)(60)
    policy = cg.CgLockoutPolicy(2, delays, 1, 3)  # two attempts without delay, then 60 s
    store = Store(blob)
    assert unlock(store, b"111222", now=NOW, policy=policy)[0] == cg.WRONG_PIN
    status, _, _, info = unlock(store, b"111222", now=NOW + 1, policy=policy)
    assert status == cg.WRONG_PIN and info.retry_at == NOW + 61
    status, _, _, info = unlock(store, b"730419", now=NOW + 30, policy=policy)
    assert status == cg.LOCKED_OUT and info.retry_at == NOW + 61
    status, _, _, info = unlock(store, b"111222", now=NOW + 61, policy=policy)
    assert status == cg.WIPE_REQUIRED and info.failures == 3
    tomb = cg.out_bytes(cg.lib.cg_wipe_local, cg.LOCAL_WIPE_PIN_FAILURES, None, NOW + 62)
    st = cg.blob_status(tomb)
    assert st.wiped and st.wipe_reason == cg.WIPE_REASON_PIN_FAILURES and st.wiped_at == NOW + 62
    assert unlock(Store(tomb), b"730419", now=NOW + 63)[0] == cg.WIPED


def test_idle_lock_and_clock_going_back():
    vault, _ = create(idle=60)
    locked, locks_at = ctypes.c_bool(), ctypes.c_uint64()
    cg.check(cg.lib.cg_vault_lock_if_idle(vault, NOW + 30, ctypes.byref(locked), ctypes.byref(locks_at)), "idle")
    assert not locked.value and locks_at.value == NOW + 60
    cg.check(cg.lib.cg_vault_touch(vault, NOW + 50), "touch")
    assert cg.lib.cg_vault_touch(vault, NOW + 40) == cg.VAULT_LOCKED  # clock set back: fail closed
    cg.check(cg.lib.cg_vault_lock_if_idle(vault, NOW + 41, ctypes.byref(locked), None), "idle")
    assert locked.value
    cg.lib.cg_vault_free(vault)


def test_remote_wipe_order():
    seed = bytes([7]) * 32
    pk = cg.out_bytes(cg.lib.cg_wipe_org_public_key, seed, 32)
    enrolment = 0x0123456789ABCDEF  # this enrolment's epoch, drawn when the app enrolled
    order = cg.out_bytes(cg.lib.cg_wipe_order_sign, b"device-1", 8, enrolment, 5, NOW, seed, 32)
    vault, _ = create()
    counter = ctypes.c_uint64()

    def execute(order, device=b"device-1", last=None, enrolled=enrolment):
        out = cg.CgBytes()
        last_p = ctypes.byref(ctypes.c_uint64(last)) if last is not None else None
        status = cg.lib.cg_wipe_verify_and_execute(order, len(order), pk, 32, device, len(device), enrolled, last_p,
                                                   vault, NOW + 5, ctypes.byref(out), ctypes.byref(counter))
        return status, out.take()

    assert execute(order, b"device-2")[0] == cg.WRONG_DEVICE
    # After an app reset the device enrolled again under the same id: the old order is refused.
    assert execute(order, enrolled=enrolment + 1)[0] == cg.WRONG_ENROLMENT
    assert execute(order, last=5)[0] == cg.REPLAYED
    assert execute(order[:-1] + bytes([order[-1] ^ 1]))[0] == cg.BAD_SIGNATURE
    assert execute(order[:5])[0] == cg.TRUNCATED
    cg.check(cg.lib.cg_vault_touch(vault, NOW + 6), "still unlocked after refused orders")
    status, tomb = execute(order, last=4)
    assert status == cg.OK and counter.value == 5
    assert cg.blob_status(tomb).wipe_reason == cg.WIPE_REASON_REMOTE_ORDER
    assert cg.lib.cg_vault_touch(vault, NOW + 7) == cg.VAULT_LOCKED
    cg.lib.cg_vault_free(vault)


# The raw callback below raises on purpose; ctypes reports that as "unraisable".
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_store_that_raises_never_lets_the_pin_be_checked():
    vault, blob = create()
    cg.lib.cg_vault_free(vault)
    store = Store(blob)
    store.fail = True
    status, v, reset, info = unlock(store, b"730419")  # the CORRECT pin
    assert status == cg.PERSIST_FAILED and not v and reset == b"" and info.failures == 0
    assert b"not counted" in cg.lib.cg_last_error_message()
    assert store.calls == 1 and store.blob == blob

    # A raw callback that raises: ctypes returns 0 to C, which is not CG_PERSIST_STORED.
    def raw(_ctx, _expected, _expected_len, _blob, _blob_len):
        raise OSError("disk full")

    raw_cb = cg.PERSIST_FN(raw)
    status, v, _, _ = unlock(store, b"730419", callback=raw_cb)
    assert status == cg.PERSIST_FAILED and not v
    for value in (0, 1, -1, None, "yes"):
        status, v, _, _ = unlock(store, b"730419", callback=cg.persist_callback(lambda _e, _n, r=value: r))
        assert status == cg.PERSIST_FAILED and not v
    assert cg.blob_status(store.blob).failures == 0


def test_fifty_guesses_from_a_cached_blob_get_no_free_guess():
    vault, blob = create()
    cg.lib.cg_vault_free(vault)
    store, cached = Store(blob), blob
    assert unlock(store, b"111222", blob=cached)[0] == cg.WRONG_PIN
    for i in range(50):
        pin = b"730419" if i % 2 else b"111222"
        status, v, _, _ = unlock(store, pin, now=NOW + i, blob=cached)
        assert status == cg.STALE_BLOB and not v
    assert cg.blob_status(store.blob).failures == 1
    # Reading the stored blob before each attempt: every guess counts, up to the wipe.
    policy = cg.CgLockoutPolicy(3, None, 0, 3)
    assert unlock(store, b"111222", policy=policy)[0] == cg.WRONG_PIN
    status, _, _, info = unlock(store, b"111222", policy=policy)
    assert status == cg.WIPE_REQUIRED and info.failures == 3
    assert unlock(store, b"730419", policy=policy)[0] == cg.WIPE_REQUIRED


def test_concurrent_attempts_from_one_stored_blob_count_once_each_or_not_at_all():
    vault, blob = create()
    cg.lib.cg_vault_free(vault)
    store = Store(blob)
    results = []

    def attempt():
        results.append(unlock(store, b"111222", blob=blob)[0])

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == sorted([cg.WRONG_PIN] + [cg.STALE_BLOB] * 3)
    assert cg.blob_status(store.blob).failures == 1


def seal_with(ring, now=NOW):
    out = cg.CgBytes()
    status = cg.lib.cg_envelope_seal(ring, b"bed 4", 5, None, 0, None, 0, None, now, ctypes.byref(out))
    return status, out.take()


def open_with(ring, sealed, now=NOW):
    out = cg.CgBytes()
    status = cg.lib.cg_envelope_open(ring, sealed, len(sealed), None, 0, None, 0, now, ctypes.byref(out), None)
    return status, out.take()


@pytest.mark.parametrize("how", ["lock", "idle", "remote_wipe", "local_wipe"])
def test_lock_and_wipe_revoke_keys_from_the_vault(how):
    vault, _ = create()
    with cg.Keyring() as ring:
        cg.check(cg.lib.cg_keyring_insert_vault_kek(ring.handle, vault, 1, NOW), "insert kek")
        status, sealed = seal_with(ring.handle)
        assert status == cg.OK and open_with(ring.handle, sealed) == (cg.OK, b"bed 4")
        keys = ctypes.c_void_p()
        cg.check(cg.lib.cg_device_keys_generate(ctypes.byref(keys)), "keys")
        wrapped = cg.out_bytes(cg.lib.cg_device_keys_wrap_in_vault, keys, vault, NOW)
        cg.lib.cg_device_keys_free(keys)
        cg.check(cg.lib.cg_device_keys_unwrap_from_vault(vault, wrapped, len(wrapped), NOW, ctypes.byref(keys)), "u")
        card = cg.out_bytes(cg.lib.cg_device_keys_issue_card, keys, None, b"me", 2, b"Me", 2, NOW, NOW + 9999, None, 0)

        if how == "lock":
            cg.check(cg.lib.cg_vault_lock(vault), "lock")
        elif how == "idle":
            locked = ctypes.c_bool()
            cg.check(cg.lib.cg_vault_lock_if_idle(vault, NOW + 300, ctypes.byref(locked), None), "idle")
            assert locked.value
        elif how == "remote_wipe":
            seed = bytes([7]) * 32
            pk = cg.out_bytes(cg.lib.cg_wipe_org_public_key, seed, 32)
            order = cg.out_bytes(cg.lib.cg_wipe_order_sign, b"device-1", 8, 77, 1, NOW, seed, 32)
            tomb = cg.CgBytes()
            cg.check(cg.lib.cg_wipe_verify_and_execute(order, len(order), pk, 32, b"device-1", 8, 77, None, vault, NOW + 1,
                                                       ctypes.byref(tomb), ctypes.byref(ctypes.c_uint64())),
                     "remote wipe")
            assert cg.blob_status(tomb.take()).wiped
        else:
            cg.out_bytes(cg.lib.cg_wipe_local, cg.LOCAL_WIPE_USER_REQUEST, vault, NOW + 1)

        assert seal_with(ring.handle, NOW + 2)[0] == cg.KEY_REVOKED
        assert open_with(ring.handle, sealed, NOW + 2)[0] == cg.KEY_REVOKED
        out = cg.CgBytes()
        assert cg.lib.cg_device_keys_issue_card(keys, None, b"me", 2, b"Me", 2, NOW, NOW + 9999, None, 0,
                                                ctypes.byref(out)) == cg.KEY_REVOKED
        assert not out.data and card
        cg.lib.cg_device_keys_free(keys)
    cg.lib.cg_vault_free(vault)


def test_blob_argon2_parameters_have_a_floor_and_a_one_gib_ceiling():
    vault, blob = create()
    cg.lib.cg_vault_free(vault)
    st = cg.CgBlobStatus()

    def with_params(m_kib, t_cost):
        return blob[:7] + m_kib.to_bytes(4, "big") + t_cost.to_bytes(4, "big") + blob[15:]

    assert cg.lib.cg_vault_status(with_params(19455, 2), len(blob), ctypes.byref(st)) == cg.PARAMS_TOO_WEAK
    assert cg.lib.cg_vault_status(with_params(19456, 1), len(blob), ctypes.byref(st)) == cg.PARAMS_TOO_WEAK
    assert cg.lib.cg_vault_status(with_params(1024 * 1024 + 1, 3), len(blob), ctypes.byref(st)) == cg.INVALID_ARGUMENT
    assert cg.lib.cg_vault_status(with_params(1024 * 1024, 3), len(blob), ctypes.byref(st)) == cg.OK
    store = Store(with_params(8, 1))
    assert unlock(store, b"730419")[0] == cg.PARAMS_TOO_WEAK and store.calls == 0
