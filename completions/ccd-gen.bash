# bash completion for ccd-gen(1)                            -*- shell-script -*-
#
# Install as /usr/share/bash-completion/completions/ccd-gen, or source this file.
# Keep in step with apps/ccd-gen/options.cpp; tests/e2e/docs_test.cpp checks that every flag in
# `ccd-gen --help` is completed here.

# Completes file (or, with -d, directory) names for $cur, with $prefix prepended to each match.
_ccd_gen_files()
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
_ccd_gen_words()
{
    local w
    while IFS= read -r w; do
        COMPREPLY+=("$prefix$w")
    done < <(compgen -W "$1" -- "$cur")
}

_ccd_gen()
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
            _ccd_gen_files -d
            return 0
            ;;
        -o | --output)
            _ccd_gen_files
            return 0
            ;;
        --patient | --start | --end | -j | --jobs)
            # An id, a date (YYYY, YYYY-MM, YYYY-MM-DD), a number: nothing to complete.
            return 0
            ;;
    esac

    # --from takes several files: keep completing files until the next option.
    local i
    for ((i = COMP_CWORD - 1; i > 0; i--)); do
        [[ ${COMP_WORDS[i]} == -* ]] || continue
        if [[ ${COMP_WORDS[i]} == --from && $cur != -* ]]; then
            _ccd_gen_files
            return 0
        fi
        break
    done

    local opts="--data-dir --from --patient --all --start --end --output --jobs --html --with-xsl --json --help"
    [[ -z $cur || $cur == -* ]] || return 0
    _ccd_gen_words "$opts -o -j -h"
    return 0
}

complete -F _ccd_gen ccd-gen
