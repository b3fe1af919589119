# fish completion for fhir-serve(8). Install as
# /usr/share/fish/vendor_completions.d/fhir-serve.fish, or source this file.
# Keep in step with apps/fhir-serve/options.cpp; tests/e2e/docs_test.cpp checks that every flag in
# `fhir-serve --help` is completed here.

# Completes directories for the current token, also in the --data-dir=DIR form (fish adds the
# "--data-dir=" back itself).
function __fhir_serve_complete_dirs
    __fish_complete_directories (commandline -ct | string replace -r -- '^--[^=]*=' '')
end

# fhir-serve takes no arguments, only options.
complete -c fhir-serve -f

complete -c fhir-serve -l data-dir -x -a '(__fhir_serve_complete_dirs)' -d 'Data directory (database, TLS files)'
complete -c fhir-serve -l listen -x -d 'Address and port to listen on, HOST:PORT (default 0.0.0.0:8443)'
complete -c fhir-serve -l dev -d 'Create a self-signed certificate in DATA_DIR/tls on first start'
complete -c fhir-serve -l demo -d 'Load the demo data set into an empty data directory'
complete -c fhir-serve -l insecure-http -d 'Serve plain HTTP (loopback addresses only)'
complete -c fhir-serve -l no-auth -d 'Serve the FHIR API without access token checks (loopback addresses only)'
complete -c fhir-serve -l cert -r -F -d 'TLS certificate chain (PEM)'
complete -c fhir-serve -l key -r -F -d 'TLS private key (PEM)'
complete -c fhir-serve -l threads -x -d 'Worker threads, 1-4096 (default 256)'
complete -c fhir-serve -l max-body -x -d 'Largest request body in bytes (default 16777216)'
complete -c fhir-serve -l keep-alive-timeout -x -d 'Seconds an idle keep-alive connection is kept, 1-3600 (default 5)'
complete -c fhir-serve -l log-format -x -a 'text json' -d 'Log format'
complete -c fhir-serve -l log-level -x -a 'trace debug info warn error' -d 'Log level'
complete -c fhir-serve -l config -r -F -d 'Config file of "flag = value" lines'
complete -c fhir-serve -s h -l help -d 'Print help and exit'
