# bash completion for fhirctl(1)                            -*- shell-script -*-
#
# Install as /usr/share/bash-completion/completions/fhirctl, or source this file.
# Keep in step with apps/fhirctl and lib/store/settings.cpp; tests/e2e/docs_test.cpp checks that
# every option, command and setting fhirctl knows is completed here.

# Completes directory names for the current word ($cur, with $prefix prepended to each match).
_fhirctl_dirs()
{
    if [[ -z $prefix ]] && declare -F _filedir >/dev/null; then
        _filedir -d
        return
    fi
    compopt -o filenames 2>/dev/null
    local d
    while IFS= read -r d; do
        COMPREPLY+=("$prefix$d")
    done < <(compgen -d -- "$cur")
}

# Adds the words in $1 that start with $cur, each with $prefix prepended.
_fhirctl_words()
{
    local w
    while IFS= read -r w; do
        COMPREPLY+=("$prefix$w")
    done < <(compgen -W "$1" -- "$cur")
}

_fhirctl()
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
        --data-dir | --out)
            _fhirctl_dirs
            return 0
            ;;
        --patients | --seed | --batch)
            return 0 # a number
            ;;
    esac

    # The command words typed so far, without options and their arguments.
    local -a words=()
    local i w
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
            --data-dir | --batch | --workers | --server | --ca | --token | --patients | --seed | --out)
                ((i++))
                [[ ${COMP_WORDS[i]} == = ]] && ((i++))
                ;;
            -*) ;;
            *) words+=("$w") ;;
        esac
    done

    if [[ $cur == -* ]]; then
        if ((${#words[@]} == 0)); then
            _fhirctl_words "--data-dir --json --help -h"
        else
            if [[ ${words[0]} == import ]]; then
                _fhirctl_words "--batch --workers --server --insecure --ca --token --help -h"
            elif [[ ${words[0]} == data && ${words[1]} == generate ]]; then
                _fhirctl_words "--patients --seed --out --help -h"
            else
                _fhirctl_words "--help -h"
            fi
        fi
        return 0
    fi

    case ${#words[@]} in
        0) _fhirctl_words "settings db import data" ;;
        *)
            case ${words[0]} in
                import)
                    COMPREPLY=($(compgen -f -- "$cur"))
                    ;;
                db)
                    ((${#words[@]} == 1)) && _fhirctl_words "reindex"
                    ;;
                data)
                    ((${#words[@]} == 1)) && _fhirctl_words "generate"
                    ;;
                settings)
                    case ${#words[@]} in
                        1) _fhirctl_words "list get set" ;;
                        2)
                            case ${words[1]} in
                                get | set) _fhirctl_words "site_address fhir_api_enabled api_log" ;;
                            esac
                            ;;
                        3)
                            if [[ ${words[1]} == set ]]; then
                                case ${words[2]} in
                                    fhir_api_enabled) _fhirctl_words "true false" ;;
                                    api_log) _fhirctl_words "off minimal full" ;;
                                    site_address) ;; # an https:// URL without a trailing slash
                                esac
                            fi
                            ;;
                    esac
                    ;;
            esac
            ;;
    esac
    return 0
}

complete -F _fhirctl fhirctl
