# SPDX-License-Identifier: GPL-2.0-or-later
#
# fish completion for vhost-user-find(1).  Options, types, features and
# descriptor names come from `vhost-user-find complete WHAT`, which is
# quiet and never runs a backend; the --root, --dir and --system words
# already on the line are passed on to the queries of values, so that
# names come from the search path the command uses.  The options are read
# once, when fish loads this file, from the vhost-user-find on PATH.

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
            case $__vhost_user_find_value_options
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
# (nor, for caps and handshake, a --type or --binary that takes the
# operand's place).
function __vhost_user_find_first_operand
    set -l w (__vhost_user_find_words)
    test (count $w) -eq 1; and contains -- $w[1] $argv; or return
    contains -- $w[1] caps handshake; or return 0
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

# Whether --type is on the line already: it is given once (but its
# value is still to complete right after it).
function __vhost_user_find_no_type
    set -l tokens (commandline -opc)
    test "$tokens[-1]" = --type; and return 0
    not string match -q -r -- '^--type(=|$)' $tokens
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
        printf '%s\n' commands types features options names rules
    else if test (count $w) -eq 2; and test "$w[2]" = features
        __vhost_user_find_query types
    else if test (count $w) -eq 2; and test "$w[2]" = options
        __vhost_user_find_query commands
    end
end

set -l c vhost-user-find
complete -c $c -f

complete -c $c -n __vhost_user_find_needs_command -a '(__vhost_user_find_query commands)' -d Command

# How the value of an option completes, by its name: complete's
# arguments, one a line.
function __vhost_user_find_value_args
    switch $argv[1]
        case --root --dir
            printf '%s\n' -x -a '(__fish_complete_directories (commandline -ct))'
        case --env
            printf '%s\n' -x -a '(set -xn)'
        case --type
            printf '%s\n' -x -a '(__vhost_user_find_query types)'
        case --feature
            printf '%s\n' -x -a '(__vhost_user_find_features)'
        case --ignore
            # "ID<tab>description": fish shows the description.
            printf '%s\n' -x -a '(__vhost_user_find_query rules)'
        case --format
            printf '%s\n' -x -a 'gcc json github'
        case --binary
            printf '%s\n' -r -F
        case '*'
            printf '%s\n' -x
    end
end

# Register the options of `complete options [CMD]` (the tool's own
# tables): the global ones anywhere, a command's own after it.  Note in
# __vhost_user_find_value_options those that take a value.
function __vhost_user_find_add_options
    set -l using true
    test (count $argv) -gt 0; and set using "__vhost_user_find_using $argv[1]"
    command vhost-user-find complete options $argv 2>/dev/null |
        while read -l --delimiter \t names help
            set -l args
            set -l words (string split ' ' -- (string replace -r -- '=.*' '' $names))
            for w in $words
                if string match -q -- '--*' $w
                    set -a args -l (string sub -s 3 -- $w)
                else
                    set -a args -s (string sub -s 2 -- $w)
                end
            end
            if string match -q -- '*=*' $names
                set -ga __vhost_user_find_value_options $words
                set -a args (__vhost_user_find_value_args $words[-1])
            end
            # fish's own completions begin their descriptions in capitals.
            set help (string upper -- (string sub -l 1 -- $help))(string sub -s 2 -- $help)
            set -l condition -n $using
            contains -- --type $words; and set condition -n "$using; and __vhost_user_find_no_type"
            complete -c vhost-user-find $condition $args -d $help
        end
end

set -g __vhost_user_find_value_options
__vhost_user_find_add_options
for cmd in (command vhost-user-find complete commands 2>/dev/null)
    __vhost_user_find_add_options $cmd
end

# Operands.
complete -c $c -n '__vhost_user_find_first_operand show caps handshake' -a '(__vhost_user_find_names)' -d Descriptor
complete -c $c -n '__vhost_user_find_first_operand show caps handshake; and string match -q -- "*/*" (commandline -ct)' -F
complete -c $c -n '__vhost_user_find_using validate' -F
complete -c $c -n '__vhost_user_find_using complete' -a '(__vhost_user_find_complete_args)'
