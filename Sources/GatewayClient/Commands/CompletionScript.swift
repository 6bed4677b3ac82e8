/// `bpg completion bash|zsh`: shell completion for the commands and their flags. Submission ids are
/// not completed (that would call the gateway on every Tab).
public enum CompletionScript {
    public static let commands = [
        "submit", "status", "logs", "list", "describe", "delete", "clusters", "completion", "serve", "server", "check-config",
        "queue-token", "simulate-cluster", "help", "version",
    ]
    static let globalFlags = ["--url", "--context", "--user", "--output", "-o", "--help"]
    static let commandFlags: [String: [String]] = [
        "submit": ["--queue", "--spark-version", "--name", "--conf", "--wait", "--logs"],
        "status": ["--wait"],
        "logs": ["-f", "--follow"],
        "list": ["--all", "--state"],
        "completion": [],
        "serve": ["--config", "--dev", "--host", "--port", "--log-format", "--log-level", "--admin-port"],
    ]
    static let states = ["SUBMITTED", "RUNNING", "COMPLETED", "FAILED", "SUBMISSION_FAILED", "PENDING_RERUN", "UNKNOWN"]

    /// The script for `shell` (`bash` or `zsh`), nil for any other.
    public static func script(for shell: String) -> String? {
        switch shell {
        case "bash": bash
        case "zsh": zsh
        default: nil
        }
    }

    static var bash: String {
        let cases = commandFlags.keys.sorted().map { "        \($0)) flags=\"\(commandFlags[$0]!.joined(separator: " "))\" ;;" }
            .joined(separator: "\n")
        return """
            # bash completion for bpg. Load it with:  source <(bpg completion bash)
            _bpg() {
                local cur prev cmd flags
                cur="${COMP_WORDS[COMP_CWORD]}"
                prev="${COMP_WORDS[COMP_CWORD-1]}"
                cmd=""
                for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
                    case "$word" in -*) ;; *) cmd="$word"; break ;; esac
                done
                case "$prev" in
                    --output|-o) COMPREPLY=($(compgen -W "table json yaml" -- "$cur")); return ;;
                    --state) COMPREPLY=($(compgen -W "\(states.joined(separator: " "))" -- "$cur")); return ;;
                    --context) COMPREPLY=($(compgen -W "$(sed -n 's/^ *- *name: *//p' "${BPG_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/bpg/config.yaml}" 2>/dev/null)" -- "$cur")); return ;;
                    --config) COMPREPLY=($(compgen -f -- "$cur")); return ;;
                    --url|--user|--queue|--spark-version|--name|--conf|--host|--port) return ;;
                esac
                if [ -z "$cmd" ]; then
                    COMPREPLY=($(compgen -W "\(commands.joined(separator: " ")) \(globalFlags.joined(separator: " "))" -- "$cur"))
                    return
                fi
                case "$cmd" in
            \(cases)
                    *) flags="" ;;
                esac
                if [ "$cmd" = completion ]; then COMPREPLY=($(compgen -W "bash zsh" -- "$cur")); return; fi
                if [[ "$cur" == -* ]]; then
                    COMPREPLY=($(compgen -W "$flags \(globalFlags.joined(separator: " "))" -- "$cur"))
                elif [ "$cmd" = submit ]; then
                    COMPREPLY=($(compgen -f -- "$cur"))
                fi
            }
            complete -o default -F _bpg bpg

            """
    }

    static var zsh: String {
        let cases = commandFlags.keys.sorted().map { "    \($0)) flags=(\(commandFlags[$0]!.joined(separator: " "))) ;;" }
            .joined(separator: "\n")
        return """
            #compdef bpg
            # zsh completion for bpg. Load it with:  source <(bpg completion zsh)
            # (or save it as _bpg in a directory of $fpath).
            _bpg() {
              local -a commands flags
              commands=(\(commands.joined(separator: " ")))
              local cmd="" word
              for word in ${words[2,CURRENT-1]}; do
                case $word in -*) ;; *) cmd=$word; break ;; esac
              done
              case ${words[CURRENT-1]} in
                --output|-o) compadd table json yaml; return ;;
                --state) compadd \(states.joined(separator: " ")); return ;;
                --config) _files; return ;;
                --context) compadd -- ${(f)"$(sed -n 's/^ *- *name: *//p' "${BPG_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/bpg/config.yaml}" 2>/dev/null)"}; return ;;
                --url|--user|--queue|--spark-version|--name|--conf|--host|--port) return ;;
              esac
              if [[ -z $cmd ]]; then
                compadd -- $commands \(globalFlags.joined(separator: " "))
                return
              fi
              case $cmd in
            \(cases)
                *) flags=() ;;
              esac
              if [[ $cmd == completion ]]; then compadd bash zsh; return; fi
              if [[ ${words[CURRENT]} == -* ]]; then
                compadd -- $flags \(globalFlags.joined(separator: " "))
              elif [[ $cmd == submit ]]; then
                _files
              fi
            }
            if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _bpg "$@"; else compdef _bpg bpg; fi

            """
    }
}
