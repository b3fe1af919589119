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
            case --data-dir --batch --patients --seed --out
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

# Completes directories for the current token, also in the --data-dir=DIR form (fish adds the
# "--data-dir=" back itself).
function __fhirctl_complete_dirs
    __fish_complete_directories (commandline -ct | string replace -r -- '^--[^=]*=' '')
end

complete -c fhirctl -f

# Global options (before the command).
complete -c fhirctl -n '__fhirctl_at 0' -l data-dir -x -a '(__fhirctl_complete_dirs)' -d 'Data directory of the database'
complete -c fhirctl -n '__fhirctl_at 0' -l json -d 'Machine-readable JSON output'
complete -c fhirctl -s h -l help -d 'Print help and exit'

# Commands.
complete -c fhirctl -n '__fhirctl_at 0' -a settings -d 'Site settings (site address, FHIR API switch, API log)'
complete -c fhirctl -n '__fhirctl_at 0' -a db -d 'Database maintenance'
complete -c fhirctl -n '__fhirctl_at 0' -a import -d 'Load NDJSON files, Bundles or resources into the database or a server'
complete -c fhirctl -n '__fhirctl_at 0' -a data -d 'Test and demonstration data'

# import [--batch N] [--workers N] [--server URL [--insecure] [--ca FILE] [--token T]] INPUT...
complete -c fhirctl -n '__fish_seen_subcommand_from import' -F
complete -c fhirctl -n '__fish_seen_subcommand_from import' -l batch -x -d 'Resources per transaction (per Bundle with --server)'
complete -c fhirctl -n '__fish_seen_subcommand_from import' -l workers -x -d 'Threads that parse, validate and index'
complete -c fhirctl -n '__fish_seen_subcommand_from import' -l server -x -d 'Send to this FHIR server base URL as transaction Bundles'
complete -c fhirctl -n '__fish_seen_subcommand_from import' -l insecure -d 'With --server: do not verify the certificate'
complete -c fhirctl -n '__fish_seen_subcommand_from import' -l ca -r -F -d 'With --server: CA certificate file (PEM)'
complete -c fhirctl -n '__fish_seen_subcommand_from import' -l token -x -d 'With --server: bearer token (default $FHIRCTL_TOKEN)'

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

# Setting values, for set.
complete -c fhirctl -n '__fhirctl_at 3 settings set fhir_api_enabled' -a true -d 'Serve the FHIR REST API'
complete -c fhirctl -n '__fhirctl_at 3 settings set fhir_api_enabled' -a false -d 'Answer FHIR requests with 503'
complete -c fhirctl -n '__fhirctl_at 3 settings set api_log' -a off -d 'Record nothing'
complete -c fhirctl -n '__fhirctl_at 3 settings set api_log' -a minimal -d 'Record method, path, status and duration'
complete -c fhirctl -n '__fhirctl_at 3 settings set api_log' -a full -d 'Also record request and response bodies'
