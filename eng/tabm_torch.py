"""Training throughput of a TabM-style ensemble MLP in PyTorch, the reference the benchmark workload T4 is compared
with: k members sharing every weight matrix (BatchEnsemble linear layers y = ((x*r) @ W.T) * s + b, the first layer's r
as random signs), ReLU and dropout, per-member output layers, the mean of the members' cross-entropies, AdamW, on
standard-normal features with random labels of the given shape; with --embedding Periodic, first each feature's periodic
embedding (rtdl's PeriodicEmbeddings: cos and sin of 2*pi*c*x for K frequencies, then the feature's own linear map to d
values and a ReLU), shared by the members. Prints one JSON line with samples_per_second.

usage: python3 eng/tabm_torch.py [--rows 16000] [--features 16] [--classes 26] [--hidden 256,256] [--k 8]
                                 [--batch 256] [--dropout 0.1] [--epochs 3] [--warmup 1] [--threads 2]
                                 [--embedding None|Periodic] [--embedding-dimension 16] [--embedding-frequencies 16]
(Debian's python3-torch: /usr/bin/python3)"""
import argparse
import json
import time

import torch
from torch import nn


class LinearBatchEnsemble(nn.Module):
    def __init__(self, d_in, d_out, k, random_signs):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(d_out, d_in))
        nn.init.kaiming_uniform_(self.weight, a=5 ** 0.5)
        r = torch.ones(k, d_in)
        if random_signs:
            r = torch.where(torch.rand(k, d_in) < 0.5, -1.0, 1.0)
        self.r = nn.Parameter(r)
        self.s = nn.Parameter(torch.ones(k, d_out))
        self.bias = nn.Parameter(torch.zeros(k, d_out))

    def forward(self, x):  # x [B, k, d_in]
        b, k, d = x.shape
        y = ((x * self.r).reshape(b * k, d) @ self.weight.T).reshape(b, k, -1)
        return y * self.s + self.bias


class LinearEnsemble(nn.Module):
    def __init__(self, d_in, d_out, k):
        super().__init__()
        bound = d_in ** -0.5
        self.weight = nn.Parameter(torch.empty(k, d_in, d_out).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(k, d_out).uniform_(-bound, bound))

    def forward(self, x):  # x [B, k, d_in]
        return torch.baddbmm(self.bias.unsqueeze(1), x.transpose(0, 1), self.weight).transpose(0, 1)


class PeriodicEmbedding(nn.Module):
    def __init__(self, features, d, frequencies, sigma):
        super().__init__()
        self.frequencies = nn.Parameter(torch.randn(features, frequencies) * sigma)
        bound = (2 * frequencies) ** -0.5
        self.weight = nn.Parameter(torch.empty(features, 2 * frequencies, d).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(features, d).uniform_(-bound, bound))

    def forward(self, x):  # x [B, F] -> [B, F*d]
        v = 2 * torch.pi * self.frequencies * x.unsqueeze(-1)
        p = torch.cat([torch.cos(v), torch.sin(v)], -1)  # [B, F, 2K]
        y = torch.einsum("bfe,fed->bfd", p, self.weight) + self.bias
        return torch.relu(y).flatten(1)


class TabM(nn.Module):
    def __init__(self, d_in, hidden, d_out, k, dropout, embedding=None):
        super().__init__()
        self.k = k
        self.embedding = embedding
        layers, width = [], d_in if embedding is None else d_in * embedding.weight.shape[-1]
        for i, units in enumerate(hidden):
            layers += [LinearBatchEnsemble(width, units, k, random_signs=i == 0), nn.ReLU(), nn.Dropout(dropout)]
            width = units
        self.backbone = nn.Sequential(*layers)
        self.head = LinearEnsemble(width, d_out, k)

    def forward(self, x):  # x [B, d_in] -> [B, k, d_out]
        if self.embedding is not None:
            x = self.embedding(x)
        return self.head(self.backbone(x.unsqueeze(1).expand(-1, self.k, -1)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=16000)
    parser.add_argument("--features", type=int, default=16)
    parser.add_argument("--classes", type=int, default=26)
    parser.add_argument("--hidden", default="256,256")
    parser.add_argument("--k", type=int, default=8)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--embedding", default="None", choices=["None", "Periodic"])
    parser.add_argument("--embedding-dimension", type=int, default=16)
    parser.add_argument("--embedding-frequencies", type=int, default=16)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x = torch.randn(args.rows, args.features)
    y = torch.randint(0, args.classes, (args.rows,))
    hidden = [int(h) for h in args.hidden.split(",")]
    embedding = None
    if args.embedding == "Periodic":
        embedding = PeriodicEmbedding(args.features, args.embedding_dimension, args.embedding_frequencies, 0.1)
    model = TabM(args.features, hidden, args.classes, args.k, args.dropout, embedding)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=3e-4)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    timed = 0.0
    for epoch in range(args.warmup + args.epochs):
        start = time.perf_counter()
        order = torch.randperm(args.rows)
        for i in range(0, args.rows, args.batch):
            idx = order[i:i + args.batch]
            logits = model(x[idx])
            loss = loss_fn(logits.reshape(-1, args.classes), y[idx].repeat_interleave(args.k))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        if epoch >= args.warmup:
            timed += time.perf_counter() - start
    print(json.dumps({
        "system": "pytorch-tabm",
        "torch": torch.__version__,
        "threads": args.threads,
        "hidden": args.hidden,
        "k": args.k,
        "embedding": args.embedding,
        "samples_per_second": round(args.epochs * args.rows / timed, 1),
    }))


if __name__ == "__main__":
    main()
