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

# Completes file names for the current word.
_fhirctl_files()
{
    if [[ -z $prefix ]] && declare -F _filedir >/dev/null; then
        _filedir
        return
    fi
    compopt -o filenames 2>/dev/null
    local f
    while IFS= read -r f; do
        COMPREPLY+=("$prefix$f")
    done < <(compgen -f -- "$cur")
}

# Adds the words in $1 that start with $cur, each with $prefix prepended.
_fhirctl_words()
{
    local w
    while IFS= read -r w; do
        COMPREPLY+=("$prefix$w")
    done < <(compgen -W "$1" -- "$cur")
}

# The subcommands of a command path ("" for fhirctl itself, "user", "patient credentials", ...).
_fhirctl_subcommands()
{
    case $1 in
        "") echo "settings db import data user patient client token keys launch" ;;
        settings) echo "list get set" ;;
        db) echo "reindex" ;;
        data) echo "generate" ;;
        user) echo "add list disable enable passwd" ;;
        patient) echo "credentials api-access revoke-all" ;;
        "patient credentials") echo "create" ;;
        client) echo "list show enable disable register users revoke-user" ;;
        token) echo "list revoke parse get" ;;
        keys) echo "list rotate" ;;
        launch) echo "create" ;;
    esac
}

# The options of a command path.
_fhirctl_options()
{
    case $1 in
        "") echo "--data-dir --server --token --json --help -h" ;;
        import) echo "--batch --workers --server --token --insecure --ca --help -h" ;;
        "data generate") echo "--patients --seed --out --help -h" ;;
        "user add") echo "--role --practitioner --name --password-stdin --help -h" ;;
        "user passwd") echo "--password-stdin --help -h" ;;
        "client register")
            echo "--name --redirect-uri --scope --auth-method --grant-type --jwks --jwks-uri --launch-uri --metadata --remote --ca --insecure --help -h"
            ;;
        "token list") echo "--client --user --patient --active --help -h" ;;
        "token parse") echo "--revoke --help -h" ;;
        "token get")
            echo "--client-id --key --scope --redirect-port --timeout --save --refresh --ca --insecure --help -h"
            ;;
        "launch create") echo "--client --user --patient --encounter --help -h" ;;
        *) echo "--help -h" ;;
    esac
}

# Options that take a value (the next word, or --opt=VALUE).
_fhirctl_value_options="--data-dir --server --token --batch --workers --patients --seed --out --role --practitioner --name
 --redirect-uri --scope --auth-method --grant-type --jwks --jwks-uri --launch-uri --metadata --client --user
 --patient --encounter --client-id --key --redirect-port --timeout --save --refresh --ca"

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
        --jwks | --metadata | --key | --save | --refresh | --ca)
            _fhirctl_files
            return 0
            ;;
        --role)
            _fhirctl_words "admin clinician"
            return 0
            ;;
        --auth-method)
            _fhirctl_words "client_secret_basic client_secret_post private_key_jwt none"
            return 0
            ;;
        --grant-type)
            _fhirctl_words "authorization_code refresh_token client_credentials"
            return 0
            ;;
        --server | --token | --batch | --workers | --patients | --seed | --practitioner | --name | --redirect-uri | --scope | \
            --jwks-uri | --launch-uri | --client | --user | --patient | --encounter | --client-id | \
            --redirect-port | --timeout)
            return 0 # free text
            ;;
    esac

    # The command path typed so far (subcommand words), and the positional arguments after it.
    local path= subs i w
    local -a args=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ " ${_fhirctl_value_options//$'\n'/ } " == *" $w "* ]]; then
            ((i++))
            [[ ${COMP_WORDS[i]} == = ]] && ((i++))
            continue
        fi
        case $w in
            -*) continue ;;
        esac
        subs=" $(_fhirctl_subcommands "$path") "
        if ((${#args[@]} == 0)) && [[ $subs == *" $w "* ]]; then
            path=${path:+$path }$w
        else
            args+=("$w")
        fi
    done

    if [[ $cur == -* ]]; then
        _fhirctl_words "$(_fhirctl_options "$path")"
        return 0
    fi

    subs=$(_fhirctl_subcommands "$path")
    if [[ -n $subs ]] && ((${#args[@]} == 0)); then
        _fhirctl_words "$subs"
        return 0
    fi

    case $path in
        import)
            _fhirctl_files
            ;;
        "patient api-access")
            ((${#args[@]} == 0)) && _fhirctl_words "on off"
            ;;
        "settings get")
            ((${#args[@]} == 0)) && _fhirctl_words "site_address fhir_api_enabled api_log oauth_registration"
            ;;
        "settings set")
            case ${#args[@]} in
                0) _fhirctl_words "site_address fhir_api_enabled api_log oauth_registration" ;;
                1)
                    case ${args[0]} in
                        fhir_api_enabled) _fhirctl_words "true false" ;;
                        api_log) _fhirctl_words "off minimal full" ;;
                        oauth_registration) _fhirctl_words "open initial-access-token closed" ;;
                        site_address) ;; # an https:// URL without a trailing slash
                    esac
                    ;;
            esac
            ;;
    esac
    return 0
}

complete -F _fhirctl fhirctl
