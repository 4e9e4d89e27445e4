# PyTorch mirror of geniza's trainer (src/model/forward.ts + src/model/train.ts with atomic docids, one decoder
# step) for fast recipe sweeps on a lent GPU machine; not part of the product (README.md beside this file).
# Reads what bench/gpu/dump.ts wrote; each line of SPECS_JSONL is one training run (keys: see run()); appends
# one JSON line of results per run (nDCG@10 and Recall@100 of the model alone, RRF fusions with the lexical
# top 100 on the test labels, held-out pseudo-query MRR@10).
#   python3 bench/gpu/mirror.py DATA_DIR SPECS_JSONL OUT_JSONL
import gzip, json, math, sys, time
import numpy as np
import torch
import torch.nn.functional as F

dev = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
DT = {'uint16': np.uint16, 'int32': np.int32, 'uint8': np.uint8, 'float32': np.float32}


def load(d):
    meta = json.load(open(f'{d}/meta.json'))
    arr = {}
    for name, a in meta['arrays'].items():
        raw = gzip.open(f'{d}/{name}.gz').read()
        arr[name] = np.frombuffer(raw, dtype=DT[a['dtype']]).reshape(a['shape'])
    return meta, arr


class Data:
    def __init__(self, d):
        self.meta, a = load(d)
        c = self.meta['config']
        self.c = c
        self.src = torch.from_numpy(a['src'].astype(np.int64)).to(dev)
        self.tgt = torch.from_numpy(a['tgt'].astype(np.int64)).to(dev)
        self.kind = torch.from_numpy(a['kind'].astype(np.int64)).to(dev)
        self.doc = torch.from_numpy(a['doc'].astype(np.int64)).to(dev)
        tok_of_doc = np.zeros(self.meta['nDocs'], dtype=np.int64)
        tok_of_doc[a['doc']] = a['tgt']
        self.tok_of_doc = torch.from_numpy(tok_of_doc).to(dev)
        flat = a['params']
        self.init = {}
        o = 0
        for p in self.meta['params']:
            n = int(np.prod(p['shape']))
            self.init[p['name']] = torch.from_numpy(flat[o:o + n].copy().reshape(p['shape'])).to(dev)
            o += n
        self.qsrc = torch.from_numpy(a['qsrc'].astype(np.int64)).to(dev)
        self.lexdocs = a['lexdocs']
        self.lexscores = a['lexscores']
        q = a['qrels']
        self.qrels = [dict() for _ in range(self.qsrc.shape[0])]
        for qi, di, g in q:
            self.qrels[qi][int(di)] = int(g)
        self.hsrc = torch.from_numpy(a['hsrc'].astype(np.int64)).to(dev)
        self.hdoc = a['hdoc']
        self.hlexdocs = a['hlexdocs']
        self.W = None
        if 'dtok' in a:  # token-level BM25 over the documents (k1 1.2, b 0.75): [srcVocab, nDocs]
            V = c['srcVocab']
            N = self.meta['nDocs']
            off = a['doff'].astype(np.int64)
            tok = a['dtok'].astype(np.int64)
            dix = np.repeat(np.arange(N), np.diff(off))
            keep = tok >= 2
            tf = np.bincount(dix[keep] * V + tok[keep], minlength=N * V).reshape(N, V).astype(np.float32)
            dl = tf.sum(1, keepdims=True)
            df = (tf > 0).sum(0)
            idf = np.log(1 + (N - df + 0.5) / (df + 0.5)).astype(np.float32)
            w = idf[None, :] * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / dl.mean()))
            self.W = torch.from_numpy(np.ascontiguousarray(w.T)).to(dev)
            self.tf = torch.from_numpy(tf).to(dev)
            self.dtok_np = a['dtok']
            self.doff_np = a['doff']
        self.inits = {}

    def bm25(self, src):
        B = src.shape[0]
        q = torch.zeros(B, self.W.shape[0], device=dev)
        q.scatter_add_(1, src, torch.ones_like(src, dtype=torch.float32))
        q[:, :2] = 0
        return q @ self.W  # [B, nDocs]


def ln(x, p, name):
    return F.layer_norm(x, (x.shape[-1],), p[name + '.g'], p[name + '.b'], 1e-5)


def lin(x, p, name):
    return x @ p[name + '.w'] + p[name + '.b']


def attn(qin, kvin, bias, p, name, H):
    B, Tq, D = qin.shape
    Tk = kvin.shape[1]
    dh = D // H
    q = lin(qin, p, name + '.q').view(B, Tq, H, dh).transpose(1, 2)
    k = lin(kvin, p, name + '.k').view(B, Tk, H, dh).transpose(1, 2)
    v = lin(kvin, p, name + '.v').view(B, Tk, H, dh).transpose(1, 2)
    s = q @ k.transpose(-1, -2) / math.sqrt(dh) + bias
    h = (s.softmax(-1) @ v).transpose(1, 2).reshape(B, Tq, D)
    return lin(h, p, name + '.o')


def ffn(x, p, name):
    return F.relu(x @ p[name + '.w1'] + p[name + '.b1']) @ p[name + '.w2'] + p[name + '.b2']


def logits(p, src, c, drop=0.0):
    B, S = src.shape
    H = c['heads']
    mask = (src == 0).float() * -1e9
    bias = mask.view(B, 1, 1, S)
    x = p['srcEmb'][src] + p['srcPos'][:S]
    for i in range(c['encoderLayers']):
        h = ln(x, p, f'enc.{i}.ln1')
        x = x + attn(h, h, bias, p, f'enc.{i}.self', H)
        x = x + ffn(ln(x, p, f'enc.{i}.ln2'), p, f'enc.{i}.ffn')
    mem = ln(x, p, 'enc.lnf')
    y = (p['tgtEmb'][0] + p['tgtPos'][0]).view(1, 1, -1).expand(B, 1, -1)
    for i in range(c['decoderLayers']):
        h = ln(y, p, f'dec.{i}.ln1')
        y = y + attn(h, h, torch.zeros(1, device=src.device), p, f'dec.{i}.self', H)
        y = y + attn(ln(y, p, f'dec.{i}.ln2'), mem, bias, p, f'dec.{i}.cross', H)
        y = y + ffn(ln(y, p, f'dec.{i}.ln3'), p, f'dec.{i}.ffn')
    return lin(ln(y, p, 'dec.lnf'), p, 'out')[:, 0, :]


def ndcg10(ranked, rel):
    dcg = sum(rel.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
    ideal = sorted(rel.values(), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall(ranked, rel, k):
    pos = [d for d, g in rel.items() if g > 0]
    return len(set(ranked[:k]) & set(pos)) / len(pos) if pos else 0.0


@torch.no_grad()
def gen_rank(p, D, src, k=100):
    out = []
    for i in range(0, src.shape[0], 512):
        s = src[i:i + 512]
        lg = logits(p, s, D.c)
        lg = lg[:, D.tok_of_doc]  # [b, nDocs]
        top = lg.topk(k, -1)
        known = ((s != 0) & (s != 1)).any(-1)
        for r in range(s.shape[0]):
            if not bool(known[r]):
                out.append(([], []))
            else:
                out.append((top.indices[r].tolist(), top.values[r].tolist()))
    return out


def rrf(lex, gen, w, k=60):
    sc = {}
    for r, d in enumerate(lex):
        sc[d] = sc.get(d, 0) + (1 - w) / (k + r + 1)
    for r, d in enumerate(gen):
        sc[d] = sc.get(d, 0) + w / (k + r + 1)
    return [d for d, _ in sorted(sc.items(), key=lambda x: -x[1])]


def evaluate(p, D):
    ranks = gen_rank(p, D, D.qsrc)
    lex = [[int(d) for d in row if d >= 0] for row in D.lexdocs]
    res = {}
    res['gen_ndcg'] = float(np.mean([ndcg10(r[0], D.qrels[i]) for i, r in enumerate(ranks)]))
    res['gen_r100'] = float(np.mean([recall(r[0], D.qrels[i], 100) for i, r in enumerate(ranks)]))
    res['lex_ndcg'] = float(np.mean([ndcg10(l, D.qrels[i]) for i, l in enumerate(lex)]))
    for w in (0.1, 0.2, 0.3, 0.5):
        res[f'rrf{w}'] = float(np.mean([ndcg10(rrf(lex[i], r[0], w), D.qrels[i]) for i, r in enumerate(ranks)]))
    if D.W is not None:
        tb = D.bm25(D.qsrc).topk(100, -1).indices.tolist()
        res['tok_bm25_ndcg'] = float(np.mean([ndcg10(r, D.qrels[i]) for i, r in enumerate(tb)]))
    h = gen_rank(p, D, D.hsrc, 10)
    mrr = 0.0
    for i, (r, _) in enumerate(h):
        if D.hdoc[i] in r:
            mrr += 1 / (r.index(D.hdoc[i]) + 1)
    res['held_mrr'] = mrr / len(h)
    return res


def ppmi_vectors(D, dims, window, cds=0.75):
    """Unit token vectors from the positive PMI of token co-occurrences within `window` tokens (in each document's
    title and text), truncated SVD: U * sqrt(s). Rows of tokens never seen stay 0."""
    V = D.c['srcVocab']
    tok = torch.from_numpy(D.dtok_np.astype(np.int64)).to(dev)
    doc = torch.from_numpy(np.repeat(np.arange(D.meta['nDocs']), np.diff(D.doff_np))).to(dev)
    C = torch.zeros(V * V, device=dev)
    for k in range(1, window + 1):
        a, b = tok[:-k], tok[k:]
        ok = (doc[:-k] == doc[k:]) & (a >= 2) & (b >= 2)
        idx = torch.cat([a[ok] * V + b[ok], b[ok] * V + a[ok]])
        C.index_add_(0, idx, torch.ones_like(idx, dtype=torch.float32))
    C = C.view(V, V)
    tot = C.sum()
    row = C.sum(1, keepdim=True)
    col = C.sum(0, keepdim=True) ** cds
    pmi = torch.log((C * col.sum()).clamp_min(1e-12) / (row * col).clamp_min(1e-12))
    M = torch.where(C > 0, pmi.clamp_min(0), torch.zeros_like(C))
    U, S, _ = torch.svd_lowrank(M, q=dims + 10, niter=4)
    vec = U[:, :dims] * S[:dims].sqrt()
    return vec / vec.norm(dim=1, keepdim=True).clamp_min(1e-12) * (vec.norm(dim=1, keepdim=True) > 0)


def warm_from_vectors(D, vec):
    """The warm start (src/model/warm-start.ts) with other token vectors: srcEmb and the atomic docids' output rows."""
    p = {k: v.clone() for k, v in D.init.items()}
    V, Dm = vec.shape
    p['srcEmb'] = (2.0 * vec).to(p['srcEmb'].dtype)
    u = vec - vec.mean(1, keepdim=True)
    u = u / (u.var(1, unbiased=False, keepdim=True) + 1e-5).sqrt()
    u = u / u.norm(dim=1, keepdim=True).clamp_min(1e-12)
    u[vec.norm(dim=1) == 0] = 0
    N = D.meta['nDocs']
    tf = D.tf  # [N, V] counts (tokens >= 2)
    df = (tf > 0).sum(0).float()
    idf = torch.log((N + 1) / (df + 1)) + 1
    w = torch.where(tf > 0, (1 + torch.log(tf.clamp_min(1))) * idf, torch.zeros_like(tf))
    acc = w @ u  # [N, D]
    acc = 0.9 * acc / acc.norm(dim=1, keepdim=True).clamp_min(1e-12)
    out = p['out.w'].clone()
    out[:, D.tok_of_doc] = acc.T
    p['out.w'] = out
    return p


def run(D, spec):
    c = D.c
    emb = spec.get('emb')  # other token vectors for the warm start: 'ppmi' or 'cat' (half LSA, half PPMI)
    if emb:
        dims = c['dModel']
        key = (emb, spec.get('window', 5))
        if key not in D.inits:
            if emb == 'ppmi':
                vec = ppmi_vectors(D, dims, spec.get('window', 5))
            else:
                h = dims // 2
                lsa = D.init['srcEmb'][:, :h] / 2.0
                lsa = lsa / lsa.norm(dim=1, keepdim=True).clamp_min(1e-12)
                pp = ppmi_vectors(D, dims - h, spec.get('window', 5))
                vec = torch.cat([lsa, pp], 1)
                vec = vec / vec.norm(dim=1, keepdim=True).clamp_min(1e-12)
            D.inits[key] = warm_from_vectors(D, vec)
        init = D.inits[key]
    else:
        init = D.init
    seed = spec.get('seed', 42)
    torch.manual_seed(seed)
    g = torch.Generator(device=dev)
    g.manual_seed(seed)
    B = spec.get('batch', 128)
    E = spec.get('examples', 170000)
    steps = E // B
    peak = spec.get('lr', 1e-3)
    ls = spec.get('ls', 0.1)
    anchor = spec.get('anchor', 0.0)
    excl = set(spec.get('anchor_exclude', []))
    frozen = set(spec.get('freeze', []))
    tokdrop = spec.get('tokdrop', 0.0)
    wd = spec.get('wd', 0.0)
    alpha = spec.get('distill', 0.0)  # weight of the teacher's distribution in the target
    teacher = spec.get('teacher', 'bm25')
    beta = spec.get('beta', 10.0)  # teacher sharpness: logits = beta * score / max score (bm25) or beta * logits (init)
    tk = spec.get('tk', 0)  # keep the teacher's top tk documents only (0: all)
    n_all = D.src.shape[0]
    idx_all = torch.arange(n_all, device=dev)
    if 'kinds' in spec:
        ks = [D.meta['kinds'].index(k) for k in spec['kinds'] if k in D.meta['kinds']]
        sel = torch.isin(D.kind, torch.tensor(ks, device=dev))
        idx_all = idx_all[sel]
    if 'qpd' in spec:  # first qpd pairs per doc
        # pairs are in doc order: rank within doc
        d = D.doc[idx_all]
        first = torch.searchsorted(d, d, right=False)
        idx_all = idx_all[(torch.arange(len(d), device=dev) - first) < spec['qpd']]
    n = idx_all.shape[0]
    if 'epochs' in spec:  # a pass-limited run: the schedule (warmup 6%, cosine) spans exactly these steps
        steps = max(0, round(spec['epochs'] * n / B))
        spec = {**spec, 'planned_steps': steps}
    p = {k: v.clone().requires_grad_(k not in frozen) for k, v in init.items()}
    a0 = {k: v.clone() for k, v in init.items()}
    m = {k: torch.zeros_like(v) for k, v in p.items()}
    vv = {k: torch.zeros_like(v) for k, v in p.items()}
    V = c['tgtVocab']
    warm = max(1, min(500, round(0.06 * spec.get('planned_steps', 20 * math.ceil(n / B)))))
    t0 = time.time()
    perm = idx_all[torch.randperm(n, generator=g, device=dev)]
    pos = 0
    params = [k for k in p if k not in frozen]
    Ps = [p[k] for k in params]
    Ms = [m[k] for k in params]
    Vs = [vv[k] for k in params]
    Pa = [p[k] for k in params if k not in excl]
    A0 = [a0[k] for k in params if k not in excl]
    loss = torch.tensor(float('nan'))
    buckets = spec.get('buckets')  # batches of examples of one length bucket, cut to the bucket's length
    lens = (D.src != 0).sum(-1)
    queue = []

    def bucket_batches():
        p2 = idx_all[torch.randperm(n, generator=g, device=dev)]
        out = []
        lo = 0
        for hi in buckets:
            sel = p2[(lens[p2] > lo) & (lens[p2] <= hi)]
            lo = hi
            for i in range(0, sel.shape[0], B):
                b = sel[i:i + B]
                if b.shape[0] < B:
                    b = torch.cat([b, sel[torch.randint(sel.shape[0], (B - b.shape[0],), generator=g, device=dev)]])
                out.append((b, hi))
        order = torch.randperm(len(out), generator=g, device=dev).tolist()
        return [out[i] for i in order]

    for step in range(steps):
        if buckets:
            if not queue:
                queue = bucket_batches()
            bi, L = queue.pop(0)
            src = D.src[bi][:, :L]
        else:
            if pos + B > n:
                perm = idx_all[torch.randperm(n, generator=g, device=dev)]
                pos = 0
            bi = perm[pos:pos + B]
            pos += B
            src = D.src[bi]
        if tokdrop > 0:
            keep = torch.rand(src.shape, generator=g, device=dev) >= tokdrop
            keep[:, 0] |= ~(keep & (src != 0)).any(-1)
            src = torch.where(keep, src, torch.zeros_like(src))
            # compact: move kept tokens left is not needed (positions differ slightly); keep simple
        y = D.tgt[bi]
        lg = logits(p, src, c)
        lp = lg.log_softmax(-1)
        if alpha > 0:
            with torch.no_grad():
                if teacher == 'bm25':
                    sc = D.bm25(src)
                    sc = beta * sc / sc.max(-1, keepdim=True).values.clamp_min(1e-6)
                else:
                    sc = beta * logits(a0, src, c)[:, D.tok_of_doc]
                if tk > 0:
                    th = sc.topk(tk, -1).values[:, -1:]
                    sc = sc.masked_fill(sc < th, -1e9)
                tdist = sc.softmax(-1)
            soft = (tdist * lp[:, D.tok_of_doc]).sum(-1)
            loss = -((1 - ls - alpha) * lp.gather(1, y[:, None])[:, 0] + alpha * soft + ls * lp.mean(-1)).mean()
        else:
            loss = -((1 - ls) * lp.gather(1, y[:, None])[:, 0] + ls * lp.mean(-1)).mean()
        grads = torch.autograd.grad(loss, [p[k] for k in params])
        gn = torch.sqrt(sum((gr * gr).sum() for gr in grads))
        scale = torch.clamp(1.0 / (gn + 1e-6), max=1.0)
        t = step + 1
        if step < warm:
            lr_s = peak * (step + 1) / warm
        else:
            pr = min(1.0, step / steps)
            lr_s = peak * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * pr)))
        lr = lr_s * math.sqrt(1 - 0.98 ** t) / (1 - 0.9 ** t)
        with torch.no_grad():
            G = [gr * scale for gr in grads]
            torch._foreach_mul_(Ms, 0.9)
            torch._foreach_add_(Ms, G, alpha=0.1)
            torch._foreach_mul_(Vs, 0.98)
            torch._foreach_addcmul_(Vs, G, G, value=0.02)
            den = torch._foreach_sqrt(Vs)
            torch._foreach_add_(den, 1e-8)
            torch._foreach_addcdiv_(Ps, Ms, den, value=-lr)
            if anchor > 0:
                diff = torch._foreach_sub(Pa, A0)
                torch._foreach_add_(Pa, diff, alpha=-lr_s * anchor)
            if wd > 0:
                torch._foreach_add_(Pa, [x.clone() for x in Pa], alpha=-lr_s * wd)
    if dev.type == 'cuda':
        torch.cuda.synchronize()
    secs = time.time() - t0
    res = evaluate(p, D)
    res.update(spec=spec, steps=steps, train_s=round(secs, 1), final_loss=float(loss), n_pairs=n)
    return res


def main():
    data_root, specs_path, out_path = sys.argv[1:4]
    specs = [json.loads(l) for l in open(specs_path) if l.strip() and not l.startswith('#')]
    cache = {}
    with open(out_path, 'a') as f:
        for spec in specs:
            col = spec['col']
            if col not in cache:
                cache.clear()
                cache[col] = Data(f'{data_root}/{col}')
            t = time.time()
            try:
                r = run(cache[col], spec)
            except Exception as e:  # keep sweeping
                r = {'spec': spec, 'error': repr(e)}
            r['wall_s'] = round(time.time() - t, 1)
            line = json.dumps(r)
            print(line, flush=True)
            f.write(line + '\n')
            f.flush()


if __name__ == '__main__':
    main()
