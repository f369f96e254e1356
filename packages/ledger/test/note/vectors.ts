// Published test vectors, copied verbatim with their sources. Test data carries over; the code
// that produced them does not.

// --- golang/mod, sumdb/note/note_test.go (BSD-3-Clause) ----------------------------------------
export const GO_PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
export const GO_PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
export const GO_ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
/** TestNewVerifier: "wrong length key, with adjusted key hash". */
export const GO_BAD_VKEY_LENGTH =
  "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==";
/** TestNewVerifier: "unknown algorithm, with adjusted key hash". */
export const GO_BAD_VKEY_ALGORITHM = "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
export const GO_TEXT =
  "If you think cryptography is the answer to your problem,\n" +
  "then you don't know what your problem is.\n";
/** TestSign: the exact note Go's Sign writes for GO_TEXT with GO_PETER_SKEY. */
export const GO_SIGNED_NOTE = `If you think cryptography is the answer to your problem,
then you don't know what your problem is.

— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=
`;
export const GO_PETER_SIG =
  "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
export const GO_ENOCH_SIG =
  "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
export const GO_PETER_SIG_B64 =
  "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";
export const GO_ENOCH_SIG_B64 =
  "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=";

// --- transparency-dev/formats, log/note_test.go (Apache-2.0) -----------------------------------
export const TD_LOG_VK = "Log+2271c621+AemuH5ooBpEPcr+W8onrjA1NfuzBVHdezakU81Ekarvs";
export const TD_LOG_SK = "PRIVATE+KEY+Log+2271c621+AdEIq9FLRQni54Wg68T96VJO+iayOaulswav2DUMKgvQ";
export const TD_KNOWN1_VK = "Known+451c786d+AXAQ0T7lbwuY4ABJ9/MYY9bWV3hmSyOGVt2x42NkmdUH";
export const TD_KNOWN1_SK = "PRIVATE+KEY+Known+451c786d+AQPRoE2+Z+Ed1HaHBA9F/FfracvcZ2rDU39kCecMEoci";
export const TD_KNOWN2_VK = "KnownAgain+4893b26c+AQ+LR7BFF/F/dkpIBjBpSvT0crkteizuUkavAoGeaYMj";
export const TD_KNOWN2_SK = "PRIVATE+KEY+KnownAgain+4893b26c+ARhZda/l25zjGZswYLDZsLNRzNpmv5wYTN9IoTr1OJ2+";
export const TD_UNKNOWN_VK = "Unknown+fdbb2e08+AWgRIYZ+8x1Vl+1Q+sR8zciNHiYI1SdlBjNw+RV0rots";
export const TD_UNKNOWN_SK = "PRIVATE+KEY+Unknown+fdbb2e08+Aav2knTC6orbhXX8pMWuNiWgO+Wwk2DB+h1eU2Q1W1nU";
/** TestSumDBNoteParsing: a real sum.golang.org checkpoint and the sumdb's verifier key. */
export const TD_SUMDB_VKEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
export const TD_SUMDB_NOTE = `go.sum database tree
6476701
mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=

— sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfvimWEPWL+o3GeoWwOoAw=
`;
/** BenchmarkParse: three more verifier keys and their signatures over the same checkpoint text. */
export const TD_BENCH_VERIFIERS = [
  "monkeys+db4d9f7e+AULaJMvTtDLHPUcUrjdDad9vDlh/PTfC2VV60JUtCfWT",
  "bananas+cf639f13+AaPjhFnPCQnid/Ql32KWhmh+uk72FVRfK+2DLmO3BI3M",
  "witness+f13a86db+AdYV1Ztajd9BvyjP2HgpwrqYL6TjOwIjGMOq8Bu42xbN",
] as const;
export const TD_BENCH_SIGS = [
  "— monkeys 202ffh9ve46Mqbhuyb4wnC2Pwdan5EsXQym/tF1ggXJqhjGosU4T5intH4iKMRgDLxrnXuIjRaU2NbvAnaepM6Y+8ww=",
  "— bananas z2OfE+2bbsBZ7NLgfuslc0v7NFW2QyexJ7fhePpoL2N/P7N/COd5S+JNHbQEAlYzz2C5sg0E+x/MggS1mDR6t3/9rQw=",
  "— witness 8TqG25yWGFLdT7WPf/WoyeG3LwqtkXP+8S3yykOVm6EMh4hPgCke6eSVPU4BdtXNMPJBXKF+UpDbGgCdcpR8SVSoqAU=",
  "— random1 8TqG25yWGFLdT7WPf/WoyeG3LwqtkXP+8S3yykOVm6EMh4hPgCke6eSVPU4BdtXNMPJBXKF+UpDbGgCdcpR8SVSoqAU=",
  "— random2 8TqG25yWGFLdT7WPf/WoyeG3LwqtkXP+8S3yykOVm6EMh4hPgCke6eSVPU4BdtXNMPJBXKF+UpDbGgCdcpR8SVSoqAU=",
] as const;

// --- transparency-dev/formats, log/checkpoint_test.go (Apache-2.0) -----------------------------
// Their checkpoint type allows any hash length; c2sp tlog-checkpoint roots are RFC 6962 SHA-256,
// and ArmsLedger requires exactly 32 bytes, so their "valid" cases are only valid in shape.
export const TD_CHECKPOINT_MARSHAL = [
  { origin: "Log", size: 123n, hashText: "bananas", want: "Log\n123\nYmFuYW5hcw==\n" },
  {
    origin: "Banana",
    size: 9944n,
    hashText: "the view from the tree tops is great!",
    want: "Banana\n9944\ndGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ==\n",
  },
] as const;
export const TD_CHECKPOINT_INVALID = {
  "insufficient lines": "Head\n9944\n",
  "empty header": "\n9944\ndGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ==\n",
  "missing newline on roothash": "Log\n123\nYmFuYW5hcw==",
  "size not a number": "Log\nbananas\ndGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ==\n",
  "size negative": "Log\n-34\ndGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ==\n",
  "size too large":
    "Log\n3438945738945739845734895735\ndGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ==\n",
  "roothash not base64": "Log\n123\nThisIsn'tBase64\n",
  // Accepted by transparency-dev ("valid with trailing newlines", rest "\n\n\n") but c2sp
  // tlog-checkpoint says extension lines MUST be non-empty.
  "empty extension lines": "Log\n9944\ndGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ==\n\n\n\n",
} as const;

// --- transparency-dev/formats, note/note_cosigv1_test.go (Apache-2.0) --------------------------
/** TestCoSigV1NewVerifier "works: native algEd25519CosignatureV1 verifier" (a type 0x04 vkey). */
export const TD_COSIGNER_VKEY = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";
/** TestCoSigV1NewVerifier "works: convert from algEd25519": a type 0x01 vkey they convert to 0x04. */
export const TD_ED25519_VKEY_FOR_COSIGNING = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6";
/** note/note_verifier_test.go: sigStoreKeyMaterial (an ECDSA key, type 0x02). */
export const TD_SIGSTORE_KEY_MATERIAL =
  "AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=";
export const TD_BAD_COSIGNER_VKEYS = {
  "wrong number of parts": "bananas.sigstore.dev+12344556",
  "invalid base64": "rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!",
  "invalid algo": "rekor.sigstore.dev+12345678+AwEB",
  "invalid keyhash": `rekor.sigstore.dev+NOT_A_NUMBER+${TD_SIGSTORE_KEY_MATERIAL}`,
  "incorrect keyhash": `rekor.sigstore.dev+00000000+${TD_SIGSTORE_KEY_MATERIAL}`,
} as const;
/** TestCosignatureTimestamp. */
export const TD_COSIG_TIMESTAMP = {
  works: {
    base64:
      "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==",
    time: 1727964367n,
  },
  wrongType: "eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=",
  gibberish: "5%/$!\n 2",
} as const;
/** The checkpoint text their cosignature round trips sign. */
export const TD_COSIGNED_TEXT = "test\n123\nf+7CoKgXKE/tNys9TTXcr/ad6U/K3xvznmzew9y6SP0=\n";

// --- C2SP/C2SP ---------------------------------------------------------------------------------
/** signed-note.md: the example (a text with an inner blank line; key not published). */
export const C2SP_SIGNED_NOTE_EXAMPLE = `Ognuno sta solo sul cuor della terra
trafitto da un raggio di sole:

ed è subito sera.

— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=
`;
/** tlog-checkpoint.md and tlog-cosignature.md: the example checkpoint with a witness cosignature. */
export const C2SP_CHECKPOINT_TEXT =
  "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
export const C2SP_LOG_SIG_LINE =
  "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
export const C2SP_WITNESS_SIG_LINE =
  "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";
/** tlog-cosignature.md: "time 1679315147" in the example signed message. */
export const C2SP_WITNESS_TIME = 1679315147n;

// --- FiloSottile/torchwood, cmd/litewitness/testdata/multi-cosigs-ed25519.txt (BSD-3-Clause) ----
// A sigsum log checkpoint signed by the log (key name = origin, Ed25519 type 0x01, as ArmsLedger
// does); the log's raw public key is the `-key=` argument of `witnessctl add-sigsum-log`.
export const SIGSUM_LOG_PUBLIC_KEY_HEX = "52c05edad1bf5feffa81354faae59a655d9a9a1a793ed2f62c39c26c0be2aecd";
export const SIGSUM_ORIGIN =
  "sigsum.org/v1/tree/985ea163f5af026723561354f51f2ebcdcf2af809ce254ccfb64aa9aadd80f90";
export const SIGSUM_NOTE = `sigsum.org/v1/tree/985ea163f5af026723561354f51f2ebcdcf2af809ce254ccfb64aa9aadd80f90
1
KgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=

— sigsum.org/v1/tree/985ea163f5af026723561354f51f2ebcdcf2af809ce254ccfb64aa9aadd80f90 7BKT0gOfNZ1J0So9unY3BZtm2YkPIoNYM/dce0Z2avJDs8dxN6ts9bOSwwrVrbjm6P9K3ZxpK6jJngOG6YvGGzV/lwo=
`;

// --- RFC 8032 §7.1 ---------------------------------------------------------------------------
export const RFC8032_TEST1 = {
  seed: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
  publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
  message: "",
  signature:
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
} as const;
export const RFC8032_TEST2 = {
  seed: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
  publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
  message: "72",
  signature:
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
} as const;

// --- C2SP/CCTV, ed25519/ed25519vectors.json (a few entries) -----------------------------------
// Public keys of these vectors are small-order, mixed-order or non-canonical; key parsing refuses
// them, so no verifier is ever built on a key where noble and OpenSSL could disagree.
export const CCTV_ED25519 = [
  {
    number: 0,
    key: "0000000000000000000000000000000000000000000000000000000000000000",
    sig: "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
    msg: "ed25519vectors 3",
    flags: [
      "low_order_R",
      "low_order_A",
      "low_order_component_R",
      "low_order_component_A",
      "low_order_residue",
    ],
  },
  {
    number: 7,
    key: "10eb7c3acfb2bed3e0d6ab89bf5a3d6afddd1176ce4812e38d9fd485058fdb1f",
    sig: "36684ea91032ba5b1dbab2d02f4debc74c3327f2b3802e2e4d371aa42b12b56bbbfd00bd9c259d8d222d15e67a3d8228585050dbb9b9585be20d8fadc721da03",
    msg: "ed25519vectors",
    flags: ["low_order_component_R", "low_order_component_A"],
  },
  {
    number: 29,
    key: "10eb7c3acfb2bed3e0d6ab89bf5a3d6afddd1176ce4812e38d9fd485058fdb1f",
    sig: "b797b156efcd45a4e2454d2fd0b21438b3ccd80d4c7fd1d1b2c8e55bd4ed4a94732d9e0279fe001d90327efa319816e3e4506b78432b8b4e1f2fdc4b960d700f",
    msg: "ed25519vectors 2",
    flags: ["low_order_component_R", "low_order_component_A"],
  },
  {
    number: 9,
    key: "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    sig: "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
    msg: "ed25519vectors 6",
    flags: [
      "low_order_R",
      "low_order_A",
      "low_order_component_R",
      "low_order_component_A",
      "non_canonical_A",
    ],
  },
] as const;

/** Small-order points (orders 2, 4 and 8), as listed in many Ed25519 test suites. */
export const SMALL_ORDER_POINTS = [
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0000000000000000000000000000000000000000000000000000000000000080",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
] as const;
