// Mixed Boolean-Arithmetic expressions over n-bit words, with C's operator precedence:
// unary ~ and - bind tightest, then *, then + and -, then &, then ^, then |.
// So `x ^ y + z` is `x ^ (y + z)` and `x | y & z` is `x | (y & z)`.
// Chains are written as loops (not left recursion) so that long flat sums build flat parse trees.
grammar Mba;

expression : orExpr EOF ;

orExpr  : xorExpr (OR xorExpr)* ;
xorExpr : andExpr (XOR andExpr)* ;
andExpr : addExpr (AND addExpr)* ;
addExpr : mulExpr (addOp mulExpr)* ;
addOp   : PLUS | MINUS ;
mulExpr : unary (STAR unary)* ;

unary
    : TILDE unary                # Not
    | MINUS unary                # Neg
    | primary                    # Atom
    ;

primary
    : IDENT                      # Variable
    | NUMBER                     # Constant
    | LPAREN orExpr RPAREN       # Parens
    ;

OR     : '|' ;
XOR    : '^' ;
AND    : '&' ;
PLUS   : '+' ;
MINUS  : '-' ;
STAR   : '*' ;
TILDE  : '~' ;
LPAREN : '(' ;
RPAREN : ')' ;
NUMBER : '0' [xX] [0-9a-fA-F]+ | [0-9]+ ;
IDENT  : [a-zA-Z_] [a-zA-Z_0-9]* ;
WS     : [ \t\r\n]+ -> skip ;
ERRCHAR : . ;
