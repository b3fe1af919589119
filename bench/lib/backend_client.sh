# shellcheck shell=bash
# SMART Backend Services clients for the benchmarks: a key pair made with the openssl CLI, a client
# registered and enabled with fhirctl (in the data directory, as an administrator would), and real
# access tokens from the server's token endpoint by `fhirctl token get` (client credentials grant,
# ES384 client assertion). Sourced by bench/read.sh and bench/revoke.sh; needs bash, openssl and
# coreutils (basenc). The caller sets FHIRCTL (the binary) and defines die().

# backend_key DIR NAME: writes DIR/NAME.pem (EC P-384 private key, PKCS#8) and DIR/NAME.jwks (its
# public JWK Set, one ES384 key with kid NAME).
backend_key() {
  local dir=$1 name=$2 hex x y
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$dir/$name.pem" 2>/dev/null ||
    die "openssl could not make an EC P-384 key"
  # The DER public key ends with the uncompressed point 04 || x (48 bytes) || y (48 bytes).
  hex=$(openssl pkey -in "$dir/$name.pem" -pubout -outform DER | tail -c 97 | basenc --base16 -w0)
  [[ ${#hex} == 194 && ${hex:0:2} == 04 ]] || die "unexpected public key encoding from openssl"
  x=$(printf '%s' "${hex:2:96}" | basenc --base16 -d | basenc --base64url -w0 | tr -d '=')
  y=$(printf '%s' "${hex:98:96}" | basenc --base16 -d | basenc --base64url -w0 | tr -d '=')
  printf '{"keys":[{"kty":"EC","crv":"P-384","alg":"ES384","use":"sig","kid":"%s","x":"%s","y":"%s"}]}\n' \
    "$name" "$x" "$y" >"$dir/$name.jwks"
}

# backend_client DATA_DIR JWKS NAME SCOPE: registers a private_key_jwt client_credentials client
# with SCOPE and enables it; prints its client id.
backend_client() {
  local data=$1 jwks=$2 name=$3 scope=$4 out id
  out=$("$FHIRCTL" --data-dir "$data" --json client register --name "$name" --auth-method private_key_jwt \
    --grant-type client_credentials --scope "$scope" --jwks "$jwks" 2>&1) || die "fhirctl client register failed: $out"
  id=$(sed -n 's/^ *"client_id": *"\([^"]*\)".*/\1/p' <<<"$out" | head -n 1)
  [[ -n $id ]] || die "fhirctl client register printed no client_id: $out"
  out=$("$FHIRCTL" --data-dir "$data" client enable "$id" 2>&1) || die "fhirctl client enable $id failed: $out"
  echo "$id"
}

# access_token SERVER CLIENT_ID KEY SCOPE: an access token from SERVER's token endpoint; prints it.
access_token() {
  local server=$1 id=$2 key=$3 scope=$4 out token
  out=$("$FHIRCTL" --server "$server" token get --client-id "$id" --key "$key" --scope "$scope" 2>&1) ||
    die "fhirctl token get (client $id) failed: $out"
  token=$(sed -n 's/^ *"access_token": *"\([^"]*\)".*/\1/p' <<<"$out" | head -n 1)
  [[ -n $token ]] || die "fhirctl token get printed no access_token: $out"
  echo "$token"
}

# token_id DATA_DIR TOKEN: the token's id (jti), as `fhirctl token parse` reads it.
token_id() {
  local out id
  out=$("$FHIRCTL" --data-dir "$1" --json token parse "$2" 2>&1) || die "fhirctl token parse failed: $out"
  id=$(sed -n 's/^ *"id": *"\([^"]*\)".*/\1/p' <<<"$out" | head -n 1)
  [[ -n $id ]] || die "fhirctl token parse printed no id: $out"
  echo "$id"
}
