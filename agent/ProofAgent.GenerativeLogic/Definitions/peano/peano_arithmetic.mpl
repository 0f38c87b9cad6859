# The successor structure and the recursive definitions of + and * (see peano.mpl for the syntax).

# Zero is no successor; the successor is injective.
ZeroNotSucc[N,z,s] := (>[n] (in[n,N]) !(in2[n,z,s]))
SuccInjective[N,s] := (>[m] (in[m,N]) (>[a,b] (& (in2[a,m,s]) (in2[b,m,s])) (=[a,b])))

# p is addition: a + 0 = a and a + s(b) = s(a + b).
AddZero[N,z,p] := (>[a] (in[a,N]) (in3[a,z,a,p]))
AddSucc[s,p] := (>[a,b,c,d,e] (& (in3[a,b,c,p]) (& (in2[b,d,s]) (in2[c,e,s]))) (in3[a,d,e,p]))

# t is multiplication: a * 0 = 0 and a * s(b) = a * b + a.
MulZero[N,z,t] := (>[a] (in[a,N]) (in3[a,z,z,t]))
MulSucc[s,p,t] := (>[a,b,c,d,e] (& (in3[a,b,c,t]) (& (in2[b,d,s]) (in3[c,a,e,p]))) (in3[a,d,e,t]))

# The anchor: N with zero i0, successor s, addition +, multiplication * and one i1 = s(i0).
Peano[N,i0,s,+,*,i1] := (& (in[i0,N]) (& (in2[i0,i1,s]) (& (Map[s,N,N]) (& (ZeroNotSucc[N,i0,s]) (& (SuccInjective[N,s]) (& (induction[N,i0,s]) (& (Op[+,N,N,N]) (& (AddZero[N,i0,+]) (& (AddSucc[s,+]) (& (Op[*,N,N,N]) (& (MulZero[N,i0,*]) (MulSucc[s,+,*]))))))))))))
