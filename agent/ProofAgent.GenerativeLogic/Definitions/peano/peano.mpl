# Peano arithmetic for the Generative Logic engine, written for this project (a clean-room statement of the standard
# axioms; not GL's files). Syntax: `Name[params] := formula`, with
#   (>[x,y] A B) for all x,y, A implies B      (& A B) and      !A not      (name[args]) an atom.
# in[x,X]: x is an element of X; in2[x,y,f]: f(x) = y; in3[x,y,z,f]: f(x,y) = z; =[x,y]: x = y.
# induction[N,z,s] is the built-in second-order induction principle for N with zero z and successor s.
# The last definition of the folder (files read in ordinal order) is the anchor that theorems are stated under.

# f maps X to Y: typed, total and single-valued.
MapTyped[f,X,Y] := (>[x,y] (in2[x,y,f]) (& (in[x,X]) (in[y,Y])))
MapTotal[f,X,Y] := (>[x] (in[x,X]) !(>[y] (in[y,Y]) !(in2[x,y,f])))
MapSingle[f,X] := (>[x] (in[x,X]) (>[y1,y2] (& (in2[x,y1,f]) (in2[x,y2,f])) (=[y1,y2])))
Map[f,X,Y] := (& (MapTyped[f,X,Y]) (& (MapTotal[f,X,Y]) (MapSingle[f,X])))

# f maps X x Y to Z: typed, total and single-valued.
OpTyped[f,X,Y,Z] := (>[x,y,z] (in3[x,y,z,f]) (& (in[x,X]) (& (in[y,Y]) (in[z,Z]))))
OpTotal[f,X,Y,Z] := (>[x,y] (& (in[x,X]) (in[y,Y])) !(>[z] (in[z,Z]) !(in3[x,y,z,f])))
OpSingle[f,X,Y] := (>[x,y] (& (in[x,X]) (in[y,Y])) (>[z1,z2] (& (in3[x,y,z1,f]) (in3[x,y,z2,f])) (=[z1,z2])))
Op[f,X,Y,Z] := (& (OpTyped[f,X,Y,Z]) (& (OpTotal[f,X,Y,Z]) (OpSingle[f,X,Y])))
