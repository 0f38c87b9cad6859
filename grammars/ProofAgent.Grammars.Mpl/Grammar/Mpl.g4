// MPL, the Mathematical Programming Language of Generative Logic, as this project reads it.
//   (>[x,y] A B)   for all x,y: A implies B   ([] = plain implication)
//   (& A B)        A and B
//   !(A)           not A  (written `!` before a parenthesised formula)
//   (name[a,b])    atom: in, in2, in3, =, or a named definition applied to arguments
// A file is either one formula (GL's own layout: the file name names the definition and a configuration gives its
// parameters) or a list of named definitions `Name[p1,...,pn] := formula`.
grammar Mpl;

file
    : definition+ EOF          # definitionsFile
    | formula EOF              # formulaFile
    ;

definition
    : name=IDENT '[' params=identList? ']' ':=' body=formula ';'?
    ;

formula
    : '(' '>' '[' vars=identList? ']' premise=formula conclusion=formula ')'   # forall
    | '(' '&' left=formula right=formula ')'                                   # and
    | '!' inner=formula                                                        # not
    | '(' name=IDENT '[' args=identList? ']' ')'                               # atom
    ;

identList
    : IDENT (',' IDENT)*
    ;

IDENT
    : [a-zA-Z0-9_+*=.'^-]+
    ;

LINE_COMMENT
    : ('#' | '//') ~[\r\n]* -> skip
    ;

WS
    : [ \t\r\n]+ -> skip
    ;
