"""Retention policies, the anti-rollback clock and the sweeper through ctypes."""

import ctypes

import careguard_ctypes as cg

DAY = 86_400


def policy(after_send=None, after_read=None, hold=None):
    return cg.CgRetentionPolicy(
        after_send is not None, after_send or 0, after_read is not None, after_read or 0, hold is not None, hold or 0
    )


def test_merge_and_expiry():
    org, ward = policy(after_send=30 * DAY, hold=DAY), policy(after_send=7 * DAY, after_read=DAY)
    merged = cg.CgRetentionPolicy()
    cg.check(cg.lib.cg_retention_policy_merge(ctypes.byref(ward), ctypes.byref(org), ctypes.byref(merged)), "merge")
    assert (merged.after_send, merged.after_read, merged.transcription_hold_max) == (7 * DAY, DAY, DAY)
    has, at = ctypes.c_bool(), ctypes.c_uint64()
    cg.check(cg.lib.cg_retention_expires_at(ctypes.byref(merged), 1000, ctypes.byref(has), ctypes.byref(at)), "exp")
    assert has.value and at.value == 1000 + 7 * DAY


def test_clock_never_goes_back():
    hw, now, back = ctypes.c_uint64(0), ctypes.c_uint64(), ctypes.c_bool()
    for device, expect_now, expect_back in [(1000, 1000, False), (400, 1000, True), (1500, 1500, False)]:
        cg.check(cg.lib.cg_clock_now(ctypes.byref(hw), device, ctypes.byref(now), ctypes.byref(back)), "clock")
        assert (now.value, back.value, hw.value) == (expect_now, expect_back, expect_now)


def test_sweep_with_transcription_hold():
    hold = policy(hold=3600)
    read = policy(after_read=60)
    msgs = (cg.CgRetentionMessage * 4)(
        cg.CgRetentionMessage(1, True, 100, False, 0, hold, False, False),
        cg.CgRetentionMessage(2, True, 100, False, 0, hold, True, False),
        cg.CgRetentionMessage(3, True, 100, False, 0, hold, True, True),
        cg.CgRetentionMessage(4, False, 0, True, 180, read, False, False),
    )
    sweep = cg.CgSweep()
    cg.check(cg.lib.cg_retention_sweep(msgs, 4, 200, ctypes.byref(sweep)), "sweep")
    try:
        assert sorted(sweep.delete_ids[i] for i in range(sweep.delete_len)) == [1, 3]
        held = [(sweep.awaiting[i].id, sweep.awaiting[i].hold_until, sweep.awaiting[i].open_time)
                for i in range(sweep.awaiting_len)]
        assert held == [(2, 3700, 99)]
        assert sweep.has_next_wake and sweep.next_wake == 240  # message 4: read at 180 + 60
    finally:
        cg.lib.cg_sweep_free(ctypes.byref(sweep))
    assert sweep.delete_len == 0 and not sweep.delete_ids
    cg.check(cg.lib.cg_retention_sweep(msgs, 4, 10_000, ctypes.byref(sweep)), "sweep")
    untranscribed = [sweep.deleted_untranscribed_ids[i] for i in range(sweep.deleted_untranscribed_len)]
    cg.lib.cg_sweep_free(ctypes.byref(sweep))
    assert untranscribed == [2]
    assert cg.lib.cg_retention_sweep(None, 3, 0, ctypes.byref(sweep)) == cg.NULL_POINTER
