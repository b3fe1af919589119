# fish completion for fhirctl(1). Install as
# /usr/share/fish/vendor_completions.d/fhirctl.fish, or source this file.
# Keep in step with apps/fhirctl and lib/store/settings.cpp; tests/e2e/docs_test.cpp checks that
# every option, command and setting fhirctl knows is completed here.

# Prints the command words typed before the cursor, without options and their arguments.
function __fhirctl_words
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case --data-dir --server --token --batch --workers --patients --seed --out --role --practitioner --name \
                --redirect-uri --scope --auth-method --grant-type --jwks --jwks-uri --launch-uri --metadata \
                --client --user --patient --encounter --client-id --key --redirect-port --timeout --save \
                --refresh --ca
                set skip 1
            case '-*'
            case '*'
                echo -- $t
        end
    end
end

# __fhirctl_at N [WORD...]: true when exactly N command words are typed and they begin with WORD...
function __fhirctl_at
    set -l words (__fhirctl_words)
    test (count $words) -eq $argv[1]; or return 1
    set -l i 1
    for w in $argv[2..-1]
        test "$words[$i]" = "$w"; or return 1
        set i (math $i + 1)
    end
end

# __fhirctl_in WORD...: true when the command words typed begin with WORD... (arguments may follow).
function __fhirctl_in
    set -l words (__fhirctl_words)
    test (count $words) -ge (count $argv); or return 1
    set -l i 1
    for w in $argv
        test "$words[$i]" = "$w"; or return 1
        set i (math $i + 1)
    end
end

# Completes directories for the current token, also in the --data-dir=DIR form (fish adds the
# "--data-dir=" back itself).
function __fhirctl_complete_dirs
    __fish_complete_directories (commandline -ct | string replace -r -- '^--[^=]*=' '')
end

complete -c fhirctl -f

# Global options (before the command).
complete -c fhirctl -n '__fhirctl_at 0' -l data-dir -x -a '(__fhirctl_complete_dirs)' -d 'Data directory of the database'
complete -c fhirctl -n '__fhirctl_at 0' -l server -x -d 'Base URL of a server, for client commands'
complete -c fhirctl -n '__fhirctl_at 0' -l token -x -d 'Bearer token for --server'
complete -c fhirctl -n '__fhirctl_at 0' -l json -d 'Machine-readable JSON output'
complete -c fhirctl -s h -l help -d 'Print help and exit'

# Commands.
complete -c fhirctl -n '__fhirctl_at 0' -a settings -d 'Site settings (site address, FHIR API switch, API log)'
complete -c fhirctl -n '__fhirctl_at 0' -a db -d 'Database maintenance'
complete -c fhirctl -n '__fhirctl_at 0' -a import -d 'Load NDJSON files, Bundles or resources into the database or a server'
complete -c fhirctl -n '__fhirctl_at 0' -a data -d 'Test and demonstration data'
complete -c fhirctl -n '__fhirctl_at 0' -a user -d 'Staff users who log in to authorize apps'
complete -c fhirctl -n '__fhirctl_at 0' -a patient -d "A patient's API login, API access and grants"
complete -c fhirctl -n '__fhirctl_at 0' -a client -d 'OAuth clients: SMART apps and backend services'
complete -c fhirctl -n '__fhirctl_at 0' -a token -d 'Access and refresh tokens'
complete -c fhirctl -n '__fhirctl_at 0' -a keys -d "The server's token signing keys"
complete -c fhirctl -n '__fhirctl_at 0' -a launch -d 'EHR launches of SMART apps'

# import [--batch N] [--workers N] [--server URL [--insecure] [--ca FILE] [--token T]] INPUT...
complete -c fhirctl -n '__fish_seen_subcommand_from import' -F
complete -c fhirctl -n '__fish_seen_subcommand_from import' -l batch -x -d 'Resources per transaction (per Bundle with --server)'
complete -c fhirctl -n '__fish_seen_subcommand_from import' -l workers -x -d 'Threads that parse, validate and index'
complete -c fhirctl -n '__fish_seen_subcommand_from import' -l server -x -d 'Send to this FHIR server base URL as transaction Bundles'
complete -c fhirctl -n '__fish_seen_subcommand_from import' -l insecure -d 'With --server: do not verify the certificate'
complete -c fhirctl -n '__fish_seen_subcommand_from import' -l ca -r -F -d 'With --server: CA certificate file (PEM)'
complete -c fhirctl -n '__fish_seen_subcommand_from import' -l token -x -d 'With --server: bearer token (default: FHIRCTL_TOKEN, the config file)'

# data generate --patients N [--seed S] --out DIR
complete -c fhirctl -n '__fhirctl_at 1 data' -a generate -d 'Write synthetic US Core patients as NDJSON files'
complete -c fhirctl -n '__fhirctl_at 2 data generate' -l patients -x -d 'Number of patients (about 250 resources each)'
complete -c fhirctl -n '__fhirctl_at 2 data generate' -l seed -x -d 'Seed: the same seed gives the same files (default 1)'
complete -c fhirctl -n '__fhirctl_at 2 data generate' -l out -x -a '(__fhirctl_complete_dirs)' -d 'Directory for the files'

# db reindex
complete -c fhirctl -n '__fhirctl_at 1 db' -a reindex -d 'Rebuild the search indexes of every stored resource'

# settings list|get|set
complete -c fhirctl -n '__fhirctl_at 1 settings' -a list -d 'Show every setting and its value'
complete -c fhirctl -n '__fhirctl_at 1 settings' -a get -d "Print one setting's value"
complete -c fhirctl -n '__fhirctl_at 1 settings' -a set -d 'Change a setting (a running server sees it within 1 s)'

# Setting keys, for get and set.
set -l __fhirctl_key_cond '__fhirctl_at 2 settings get; or __fhirctl_at 2 settings set'
complete -c fhirctl -n $__fhirctl_key_cond -a site_address -d 'Public base URL, e.g. https://ehr.example.org:8443'
complete -c fhirctl -n $__fhirctl_key_cond -a fhir_api_enabled -d 'Enable the Standard FHIR REST API (true|false)'
complete -c fhirctl -n $__fhirctl_key_cond -a api_log -d 'API log detail (off|minimal|full)'
complete -c fhirctl -n $__fhirctl_key_cond -a oauth_registration -d 'OAuth client registration (open|initial-access-token|closed)'

# Setting values, for set.
complete -c fhirctl -n '__fhirctl_at 3 settings set fhir_api_enabled' -a true -d 'Serve the FHIR REST API'
complete -c fhirctl -n '__fhirctl_at 3 settings set fhir_api_enabled' -a false -d 'Answer FHIR requests with 503'
complete -c fhirctl -n '__fhirctl_at 3 settings set api_log' -a off -d 'Record nothing'
complete -c fhirctl -n '__fhirctl_at 3 settings set api_log' -a minimal -d 'Record method, path, status and duration'
complete -c fhirctl -n '__fhirctl_at 3 settings set api_log' -a full -d 'Also record request and response bodies'
complete -c fhirctl -n '__fhirctl_at 3 settings set oauth_registration' -a open -d 'Anyone may register'
complete -c fhirctl -n '__fhirctl_at 3 settings set oauth_registration' -a initial-access-token -d 'Registration needs an initial access token'
complete -c fhirctl -n '__fhirctl_at 3 settings set oauth_registration' -a closed -d 'No dynamic registration'

# user add|list|disable|enable|passwd
complete -c fhirctl -n '__fhirctl_at 1 user' -a add -d 'Add a staff user; prints a generated password once'
complete -c fhirctl -n '__fhirctl_at 1 user' -a list -d 'List every user'
complete -c fhirctl -n '__fhirctl_at 1 user' -a disable -d 'Disable a user; their tokens stop working at once'
complete -c fhirctl -n '__fhirctl_at 1 user' -a enable -d 'Enable a disabled user'
complete -c fhirctl -n '__fhirctl_at 1 user' -a passwd -d 'Set a new password'
complete -c fhirctl -n '__fhirctl_in user add' -l role -x -a 'admin clinician' -d 'Role of the user'
complete -c fhirctl -n '__fhirctl_in user add' -l practitioner -x -d 'Practitioner id of the user'
complete -c fhirctl -n '__fhirctl_in user add' -l name -x -d 'Display name'
complete -c fhirctl -n '__fhirctl_in user add; or __fhirctl_in user passwd' -l password-stdin -d 'Read the password from standard input'

# patient credentials create | api-access on|off | revoke-all
complete -c fhirctl -n '__fhirctl_at 1 patient' -a credentials -d "The patient's login for third-party apps"
complete -c fhirctl -n '__fhirctl_at 1 patient' -a api-access -d 'Opt a patient in or out of third-party API access'
complete -c fhirctl -n '__fhirctl_at 1 patient' -a revoke-all -d 'Revoke every grant and token of a patient'
complete -c fhirctl -n '__fhirctl_at 2 patient credentials' -a create -d 'Create the login; prints it once'
complete -c fhirctl -n '__fhirctl_at 2 patient api-access' -a 'on off'

# client list|show|enable|disable|register|users|revoke-user
complete -c fhirctl -n '__fhirctl_at 1 client' -a list -d 'List the registered clients'
complete -c fhirctl -n '__fhirctl_at 1 client' -a show -d 'Show a client'
complete -c fhirctl -n '__fhirctl_at 1 client' -a enable -d 'Approve a client'
complete -c fhirctl -n '__fhirctl_at 1 client' -a disable -d 'Disable a client; its tokens are refused at once'
complete -c fhirctl -n '__fhirctl_at 1 client' -a register -d 'Register a client (the rules of /oauth2/register)'
complete -c fhirctl -n '__fhirctl_at 1 client' -a users -d 'List the users who authorized a client'
complete -c fhirctl -n '__fhirctl_at 1 client' -a revoke-user -d "Revoke a user's grants of a client"
set -l __fhirctl_reg '__fhirctl_in client register'
complete -c fhirctl -n $__fhirctl_reg -l name -x -d 'client_name'
complete -c fhirctl -n $__fhirctl_reg -l redirect-uri -x -d 'A redirect URI (repeatable)'
complete -c fhirctl -n $__fhirctl_reg -l scope -x -d 'The scopes, space-separated'
complete -c fhirctl -n $__fhirctl_reg -l auth-method -x -a 'client_secret_basic client_secret_post private_key_jwt none' -d 'token_endpoint_auth_method'
complete -c fhirctl -n $__fhirctl_reg -l grant-type -x -a 'authorization_code refresh_token client_credentials' -d 'A grant type (repeatable)'
complete -c fhirctl -n $__fhirctl_reg -l jwks -r -F -d "File holding the client's public JWK Set"
complete -c fhirctl -n $__fhirctl_reg -l jwks-uri -x -d "URL of the client's JWK Set"
complete -c fhirctl -n $__fhirctl_reg -l launch-uri -x -d "initiate_login_uri: the app's EHR launch URL"
complete -c fhirctl -n $__fhirctl_reg -l metadata -r -F -d 'RFC 7591 registration JSON file, or -'
complete -c fhirctl -n $__fhirctl_reg -l remote -d 'Register at the server (--server) over HTTPS'
complete -c fhirctl -n $__fhirctl_reg -l ca -r -F -d 'With --remote: CA certificate (PEM) to trust'
complete -c fhirctl -n $__fhirctl_reg -l insecure -d "With --remote: do not verify the server's certificate"

# token list|revoke|parse|get
complete -c fhirctl -n '__fhirctl_at 1 token' -a list -d 'List access and refresh tokens'
complete -c fhirctl -n '__fhirctl_at 1 token' -a revoke -d 'Revoke a token by its id'
complete -c fhirctl -n '__fhirctl_at 1 token' -a parse -d 'Decode a token, check its signature and look it up'
complete -c fhirctl -n '__fhirctl_at 1 token' -a get -d 'Get a token from a server (--server)'
complete -c fhirctl -n '__fhirctl_in token list; or __fhirctl_in launch create' -l client -x -d 'Client id'
complete -c fhirctl -n '__fhirctl_in token list; or __fhirctl_in launch create' -l user -x -d 'Username or user id'
complete -c fhirctl -n '__fhirctl_in token list; or __fhirctl_in launch create' -l patient -x -d 'Patient id'
complete -c fhirctl -n '__fhirctl_in token list' -l active -d 'Only tokens neither expired nor revoked'
complete -c fhirctl -n '__fhirctl_in token parse' -l revoke -d 'Also revoke the token'
set -l __fhirctl_get '__fhirctl_in token get'
complete -c fhirctl -n $__fhirctl_get -l client-id -x -d 'The client id registered at the server'
complete -c fhirctl -n $__fhirctl_get -l key -r -F -d 'Private key (JWK or PEM) for client_credentials'
complete -c fhirctl -n $__fhirctl_get -l scope -x -d 'Scopes to ask for'
complete -c fhirctl -n $__fhirctl_get -l redirect-port -x -d 'Loopback port for the redirect (0: any)'
complete -c fhirctl -n $__fhirctl_get -l timeout -x -d 'Seconds to wait for the browser redirect'
complete -c fhirctl -n $__fhirctl_get -l save -r -F -d 'Keep the refresh token in this file (mode 0600)'
complete -c fhirctl -n $__fhirctl_get -l refresh -r -F -d 'Use (and rotate) the refresh token in this file'
complete -c fhirctl -n $__fhirctl_get -l ca -r -F -d "CA certificate (PEM) to trust for the server"
complete -c fhirctl -n $__fhirctl_get -l insecure -d "Do not verify the server's certificate"

# keys list|rotate
complete -c fhirctl -n '__fhirctl_at 1 keys' -a list -d 'List the signing keys'
complete -c fhirctl -n '__fhirctl_at 1 keys' -a rotate -d 'Make a new signing key'

# launch create --client ID --user U --patient P [--encounter E]
complete -c fhirctl -n '__fhirctl_at 1 launch' -a create -d "Create an EHR launch and print the app's launch URL"
complete -c fhirctl -n '__fhirctl_in launch create' -l encounter -x -d 'Encounter id'
