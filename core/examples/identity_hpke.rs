//! Seals and opens careguard HPKE-wrapped data keys from the command line, so the Python
//! cross-check (core/tests/python/test_hpke.py) can drive careguard against `pyhpke`.
//!
//! ```text
//! identity_hpke seal RECIPIENT_X25519_PUBLIC_HEX DEK_HEX AAD_HEX   -> prints "ENC_HEX CT_HEX"
//! identity_hpke open DEVICE_KEYS_SECRET_HEX ENC_HEX CT_HEX AAD_HEX  -> prints "DEK_HEX"
//! identity_hpke open-signed DEVICE_KEYS_SECRET_HEX SENDER_CARD_HEX ENVELOPE_HEX
//!               CONVERSATION_ID_HEX SENDER_ID_HEX NOW                  -> prints "PAYLOAD_HEX"
//! ```

use careguard::SecretKey;
use careguard::UnixSeconds;
use careguard::envelope::Binding;
use careguard::identity::{
    DeviceCard, DeviceKeys, HpkeWrappedKey, TrustPolicy, open_signed, unwrap_dek, wrap_dek,
};

type Error = Box<dyn std::error::Error>;

fn decode<const N: usize>(s: &str) -> Result<[u8; N], Error> {
    let v = decode_vec(s)?;
    v.try_into()
        .map_err(|_| format!("expected {N} bytes of hex").into())
}

fn decode_vec(s: &str) -> Result<Vec<u8>, Error> {
    if s.len() % 2 != 0 {
        return Err("odd-length hex".into());
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(Error::from))
        .collect()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn main() {
    if let Err(e) = run() {
        eprintln!("identity_hpke: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["seal", pk, dek, aad] => {
            let dek = SecretKey::from_bytes(decode(dek)?);
            let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
            let w = wrap_dek(&decode(pk)?, &dek, &decode_vec(aad)?, &mut rng)?;
            println!("{} {}", hex(&w.enc), hex(&w.ct));
        }
        ["open", secret, enc, ct, aad] => {
            let keys = DeviceKeys::from_secret_bytes(&decode_vec(secret)?)?;
            let wrapped = HpkeWrappedKey {
                enc: decode(enc)?,
                ct: decode(ct)?,
            };
            let dek = unwrap_dek(&keys, &wrapped, &decode_vec(aad)?)?;
            println!("{}", hex(dek.expose_secret()));
        }
        [
            "open-signed",
            secret,
            card,
            envelope,
            conversation,
            sender,
            now,
        ] => {
            let keys = DeviceKeys::from_secret_bytes(&decode_vec(secret)?)?;
            let now: u64 = now.parse()?;
            let card = DeviceCard::parse(&decode_vec(card)?)?.verify(&TrustPolicy::new(), now)?;
            let (conversation, sender) = (decode_vec(conversation)?, decode_vec(sender)?);
            let binding = Binding::new(&conversation, &sender);
            let opened = open_signed(
                &keys,
                &[],
                &decode_vec(envelope)?,
                &binding,
                UnixSeconds(now),
                &[&card],
            )?;
            println!("{}", hex(opened.payload()));
        }
        _ => {
            return Err(
                "usage: identity_hpke seal PK DEK AAD | open SECRET ENC CT AAD \
                 | open-signed SECRET CARD ENVELOPE CONVERSATION SENDER NOW"
                    .into(),
            );
        }
    }
    Ok(())
}
