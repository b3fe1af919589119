# fish completion for ccd-gen(1). Install as
# /usr/share/fish/vendor_completions.d/ccd-gen.fish, or source this file.
# Keep in step with apps/ccd-gen/options.cpp; tests/e2e/docs_test.cpp checks that every flag in
# `ccd-gen --help` is completed here.

# Completes directories for the current token, also in the --data-dir=DIR form (fish adds the
# "--data-dir=" back itself).
function __ccd_gen_complete_dirs
    __fish_complete_directories (commandline -ct | string replace -r -- '^--[^=]*=' '')
end

# ccd-gen takes no arguments of its own, only options (--from's files follow it).
complete -c ccd-gen -f

complete -c ccd-gen -l data-dir -x -a '(__ccd_gen_complete_dirs)' -d 'Data directory whose fhir.db to read'
complete -c ccd-gen -l from -r -F -d 'FHIR NDJSON or Bundle JSON files to read instead of a database'
complete -c ccd-gen -l patient -x -d 'The patient id (one document)'
complete -c ccd-gen -l all -d 'Every patient, one file each in the -o directory'
complete -c ccd-gen -l start -x -d 'First service date: YYYY, YYYY-MM or YYYY-MM-DD'
complete -c ccd-gen -l end -x -d 'Last service date: YYYY, YYYY-MM or YYYY-MM-DD'
complete -c ccd-gen -s o -l output -r -F -d 'Output file, or directory for several documents'
complete -c ccd-gen -s j -l jobs -x -d 'Worker threads for several documents, 1-256 (default one per core)'
complete -c ccd-gen -l html -d 'Write HTML rendered through cda.xsl'
complete -c ccd-gen -l with-xsl -d 'Also write cda.xsl beside the output'
complete -c ccd-gen -l json -d 'Print the batch summary as JSON'
complete -c ccd-gen -s h -l help -d 'Print help and exit'
