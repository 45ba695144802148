"""Vault lifecycle, idle lock, write-ahead counter, and wipes through ctypes."""

import ctypes

import careguard_ctypes as cg
import pytest

NOW = 1_700_000_000
MIN_PARAMS = cg.CgKdfParams(19456, 2, 1)


class Store:
    """The app's blob storage, fed by the persist callback."""

    def __init__(self, blob=b""):
        self.blob, self.calls, self.fail = blob, 0, False

        def persist(_ctx, data, length):
            self.calls += 1
            if self.fail:
                return 1
            self.blob = ctypes.string_at(data, length)
            return 0

        self.callback = cg.PERSIST_FN(persist)


def create(pin=b"730419", device=None, idle=300, now=NOW):
    vault, blob = ctypes.c_void_p(), cg.CgBytes()
    ds, ds_len = (device, len(device)) if device else (None, 0)
    cg.check(
        cg.lib.cg_vault_create(pin, len(pin), ds, ds_len, ctypes.byref(MIN_PARAMS), idle, now, ctypes.byref(vault),
                               ctypes.byref(blob)),
        "cg_vault_create",
    )
    return vault, blob.take()


def unlock(store, pin, device=None, now=NOW, policy=None):
    vault, reset, info = ctypes.c_void_p(), cg.CgBytes(), cg.CgUnlockInfo()
    ds, ds_len = (device, len(device)) if device else (None, 0)
    status = cg.lib.cg_vault_unlock(
        store.blob, len(store.blob), pin, len(pin), ds, ds_len, ctypes.byref(policy) if policy else None, 300, now,
        store.callback, None, ctypes.byref(vault), ctypes.byref(reset), ctypes.byref(info),
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
