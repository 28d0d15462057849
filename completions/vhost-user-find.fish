# SPDX-License-Identifier: GPL-2.0-or-later
#
# fish completion for vhost-user-find(1).  Types, features and descriptor
# names come from `vhost-user-find complete WHAT`, which is quiet and never
# runs a backend; the --root, --dir and --system words already on the line
# are passed on, so that names come from the search path the command uses.

# A token as fish gives it (unquoted), with a leading ~/ expanded.
function __vhost_user_find_expand
    string replace -r -- '^~(?=/|$)' $HOME $argv[1]
end

# The search path options before the cursor, one argument a line.
function __vhost_user_find_path_args
    set -l tokens (commandline -opc)
    set -l i 2
    while test $i -le (count $tokens)
        set -l t $tokens[$i]
        switch $t
            case --root --dir
                set i (math $i + 1)
                if test $i -le (count $tokens)
                    echo -- $t
                    __vhost_user_find_expand $tokens[$i]
                end
            case '--root=*' '--dir=*'
                string replace -r -- '=.*' '' $t
                __vhost_user_find_expand (string replace -r -- '^[^=]*=' '' $t)
            case --system
                echo -- --system
        end
        set i (math $i + 1)
    end
end

# The command word and its operands before the cursor, one a line.
function __vhost_user_find_words
    set -l tokens (commandline -opc)
    set -l skip 0
    for t in $tokens[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case --root --dir --timeout --env --type --feature --binary
                set skip 1
            case '-*'
            case '*'
                echo -- $t
        end
    end
end

function __vhost_user_find_needs_command
    test (count (__vhost_user_find_words)) -eq 0
end

# Whether the command on the line is one of the arguments.
function __vhost_user_find_using
    set -l w (__vhost_user_find_words)
    test (count $w) -ge 1; and contains -- $w[1] $argv
end

# Whether the command is one of the arguments and has no operand yet
# (nor, for caps, a --type or --binary that takes the operand's place).
function __vhost_user_find_first_operand
    set -l w (__vhost_user_find_words)
    test (count $w) -eq 1; and contains -- $w[1] $argv; or return
    test $w[1] = caps; or return 0
    not string match -q -r -- '^--(type|binary)(=|$)' (commandline -opc)
end

function __vhost_user_find_query
    set -l prog (__vhost_user_find_expand (commandline -opc)[1])
    command $prog (__vhost_user_find_path_args) complete $argv 2>/dev/null
end

# Features of the --type already on the line.
function __vhost_user_find_features
    set -l tokens (commandline -opc)
    set -l type
    for i in (seq (count $tokens))
        switch $tokens[$i]
            case --type
                set -l j (math $i + 1)
                test $j -le (count $tokens); and set type $tokens[$j]
            case '--type=*'
                set type (string replace -- --type= '' $tokens[$i])
        end
    end
    test -n "$type"; and __vhost_user_find_query features $type
end

function __vhost_user_find_names
    # A token with a slash is a path: the file completion below offers it.
    string match -q -- '*/*' (commandline -ct); and return
    __vhost_user_find_query names
end

# `complete features TYPE`: the type after "features"; `complete options
# COMMAND`: the command after "options".
function __vhost_user_find_complete_args
    set -l w (__vhost_user_find_words)
    if test (count $w) -eq 1
        printf '%s\n' commands types features options names
    else if test (count $w) -eq 2; and test "$w[2]" = features
        __vhost_user_find_query types
    else if test (count $w) -eq 2; and test "$w[2]" = options
        __vhost_user_find_query commands
    end
end

set -l c vhost-user-find
complete -c $c -f

# Global options, before or after the command.
complete -c $c -l root -x -a '(__fish_complete_directories (commandline -ct))' -d 'Search under DIR as the target system'
complete -c $c -l dir -x -a '(__fish_complete_directories (commandline -ct))' -d 'Search exactly this directory (repeatable)'
complete -c $c -l system -d 'Leave out the user directory'
complete -c $c -l timeout -x -d 'Deadline for a capability probe, in seconds'
complete -c $c -l env -x -a '(set -xn)' -d 'Give a probed backend this variable (NAME[=VALUE])'
complete -c $c -s v -l verbose -d 'Say why each candidate was rejected'
complete -c $c -s q -l quiet -d 'Print no warnings'
complete -c $c -s h -l help -d 'Print help'
complete -c $c -s V -l version -d 'Print the version'

complete -c $c -n __vhost_user_find_needs_command -a '(__vhost_user_find_query commands)' -d Command

# Command options.
complete -c $c -n '__vhost_user_find_using list match caps' -l type -x -a '(__vhost_user_find_query types)' -d 'Backend type'
complete -c $c -n '__vhost_user_find_using match' -l feature -x -a '(__vhost_user_find_features)' -d 'Feature the backend must report'
complete -c $c -n '__vhost_user_find_using list match' -l all -d 'Every entry or candidate'
complete -c $c -n '__vhost_user_find_using list match show caps' -l json -d 'Print JSON'
complete -c $c -n '__vhost_user_find_using match' -l file -d 'Print the descriptor path'
complete -c $c -n '__vhost_user_find_using match' -l probe -d 'Probe each candidate, passing over failures'
complete -c $c -n '__vhost_user_find_using caps' -l binary -r -F -d 'Probe this binary'
complete -c $c -n '__vhost_user_find_using validate' -l probe -d 'Also run each capability probe'
complete -c $c -n '__vhost_user_find_using validate' -l strict -d 'Exit 1 on warnings too'
complete -c $c -n '__vhost_user_find_using validate' -l json -d 'Print the findings as a JSON array'

# Operands.
complete -c $c -n '__vhost_user_find_first_operand show caps' -a '(__vhost_user_find_names)' -d Descriptor
complete -c $c -n '__vhost_user_find_first_operand show caps; and string match -q -- "*/*" (commandline -ct)' -F
complete -c $c -n '__vhost_user_find_using validate' -F
complete -c $c -n '__vhost_user_find_using complete' -a '(__vhost_user_find_complete_args)'
