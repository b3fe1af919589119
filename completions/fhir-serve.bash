# bash completion for fhir-serve(8)                         -*- shell-script -*-
#
# Install as /usr/share/bash-completion/completions/fhir-serve, or source this file.
# Keep in step with apps/fhir-serve/options.cpp; tests/e2e/docs_test.cpp checks that every flag in
# `fhir-serve --help` is completed here.

# Completes file (or, with -d, directory) names for $cur, with $prefix prepended to each match.
_fhir_serve_files()
{
    if [[ -z $prefix ]] && declare -F _filedir >/dev/null; then
        _filedir "$@"
        return
    fi
    compopt -o filenames 2>/dev/null
    local kind=-f f
    [[ $1 == -d ]] && kind=-d
    while IFS= read -r f; do
        COMPREPLY+=("$prefix$f")
    done < <(compgen "$kind" -- "$cur")
}

# Adds the words in $1 that start with $cur, each with $prefix prepended.
_fhir_serve_words()
{
    local w
    while IFS= read -r w; do
        COMPREPLY+=("$prefix$w")
    done < <(compgen -W "$1" -- "$cur")
}

_fhir_serve()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev= prefix=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()

    # --opt=VALUE: bash splits it at '=' when '=' is in COMP_WORDBREAKS (the default).
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD >= 2)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        prefix=$prev=
        cur=${cur#*=}
    fi

    case $prev in
        --data-dir)
            _fhir_serve_files -d
            return 0
            ;;
        --cert | --key | --config)
            _fhir_serve_files
            return 0
            ;;
        --log-format)
            _fhir_serve_words "text json"
            return 0
            ;;
        --log-level)
            _fhir_serve_words "trace debug info warn error"
            return 0
            ;;
        --listen | --threads | --max-body | --keep-alive-timeout)
            # HOST:PORT, a number of threads, bytes, seconds: nothing to complete.
            return 0
            ;;
    esac

    # fhir-serve takes no arguments, only options.
    local opts="--data-dir --listen --dev --demo --insecure-http --no-auth --cert --key --threads --max-body
                --keep-alive-timeout --log-format --log-level --config --help"
    [[ -z $cur || $cur == -* ]] || return 0
    _fhir_serve_words "$opts -h"
    return 0
}

complete -F _fhir_serve fhir-serve
