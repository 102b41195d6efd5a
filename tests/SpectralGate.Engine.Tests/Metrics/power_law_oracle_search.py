# Finds ripple parameters for PowerLawFitOracleTests where a 2,000-point coarse xmin grid misses the KS minimum.
# Usage: python3 power_law_oracle_search.py BULK[,BULK..] TAIL[,TAIL..]   (prints MISS on such spectra; not run by the tests)
import numpy as np, sys
def spectrum(bulk, tail, alpha, amp, freq):
    k=np.arange(bulk); b=0.5+k/bulk
    i=np.arange(1,tail+1); t=1.5*(1-(i-0.5)/tail)**(-1/(alpha-1))
    x=np.concatenate([b,t])
    m=np.arange(len(x)); x=np.sort(x)*(1+amp*np.sin(m*freq))
    return np.sort(x)
def Darr(x):
    L=np.log(x); n0=len(x); suf=np.cumsum(L[::-1])[::-1]
    C=n0-1; D=np.full(C,np.inf); A=np.full(C,np.nan)
    for i in range(C):
        n=n0-i; ls=suf[i]-n*L[i]
        if ls<=0: continue
        a=1+n/ls
        if a<=1: continue
        j=np.arange(n)
        D[i]=np.max(np.abs(1-np.exp((1-a)*(L[i:]-L[i]))-j/n)); A[i]=a
    return D
def coarse(D):
    C=len(D); K=2000
    g=[int(round(k*(C-1)/(K-1))) for k in range(K)]
    # python round is banker's; C# Math.Round also banker's (ToEven) by default
    best=-1;bd=np.inf
    for i in g:
        if D[i]<bd: bd=D[i];best=i
    at=g.index(best); lo=g[at-1]+1 if at>0 else 0; hi=g[at+1]-1 if at<K-1 else C-1
    for i in range(lo,hi+1):
        if D[i]<bd: bd=D[i];best=i
    return best
for bulk,tail,alpha,amp,freq in [(int(a),int(b),c,d,e) for a in sys.argv[1].split(',') for b in sys.argv[2].split(',') for c in [2.5,3.5] for d in [0.002,0.01] for e in [0.7,2.3]]:
    x=spectrum(bulk,tail,alpha,amp,freq); D=Darr(x)
    t=int(np.argmin(D)); c=coarse(D)
    print(bulk,tail,alpha,amp,freq,'true',t,D[t],'coarse',c,D[c], 'MISS' if c!=t else '', flush=True)
