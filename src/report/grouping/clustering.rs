//! Groups over the neighbour graph: the constant Potts model (Louvain moves) and average linkage.

use std::collections::{BinaryHeap, HashMap};

/// Average-linkage agglomeration over a similarity graph (missing pairs count as 0), merging
/// while the best average similarity is at least `threshold`.
pub(super) fn average_linkage(n: usize, edges: &[(u32, u32, f32)], threshold: f32) -> Vec<usize> {
    // per cluster: size and the summed similarity to each neighbouring cluster
    let mut size = vec![1usize; n];
    let mut links: Vec<HashMap<u32, f32>> = vec![HashMap::new(); n];
    for &(a, b, s) in edges {
        links[a as usize].insert(b, s);
        links[b as usize].insert(a, s);
    }
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut version = vec![0u32; n];
    // max-heap on (average, then lower ids first for determinism)
    #[derive(PartialEq)]
    struct Cand(f32, u32, u32, u32, u32);
    impl Eq for Cand {}
    impl PartialOrd for Cand {
        fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(o))
        }
    }
    impl Ord for Cand {
        fn cmp(&self, o: &Self) -> std::cmp::Ordering {
            self.0.total_cmp(&o.0).then(o.1.cmp(&self.1)).then(o.2.cmp(&self.2))
        }
    }
    let mut heap = BinaryHeap::new();
    for &(a, b, s) in edges {
        if s >= threshold {
            heap.push(Cand(s, a, b, 0, 0));
        }
    }
    while let Some(Cand(_, a, b, va, vb)) = heap.pop() {
        let (a, b) = (a as usize, b as usize);
        if parent[a] != a as u32 || parent[b] != b as u32 || version[a] != va || version[b] != vb {
            continue;
        }
        // merge b into a
        parent[b] = a as u32;
        let lb = std::mem::take(&mut links[b]);
        links[a].remove(&(b as u32));
        for (c, s) in lb {
            if c as usize == a {
                continue;
            }
            *links[a].entry(c).or_insert(0.0) += s;
            let lc = &mut links[c as usize];
            let sb = lc.remove(&(b as u32)).unwrap_or(0.0);
            *lc.entry(a as u32).or_insert(0.0) += sb;
        }
        size[a] += size[b];
        version[a] += 1;
        let mut neigh: Vec<(u32, f32)> = links[a].iter().map(|(&c, &s)| (c, s)).collect();
        neigh.sort_by_key(|x| x.0);
        for (c, s) in neigh {
            let avg = s / (size[a] * size[c as usize]) as f32;
            if avg >= threshold {
                let (x, y) = if (a as u32) < c { (a as u32, c) } else { (c, a as u32) };
                heap.push(Cand(avg, x, y, version[x as usize], version[y as usize]));
            }
        }
    }
    let root = |mut i: usize| {
        while parent[i] as usize != i {
            i = parent[i] as usize;
        }
        i
    };
    renumber((0..n).map(root))
}

/// Labels renumbered 0, 1, ... in order of first appearance.
fn renumber(labels: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut number: HashMap<usize, usize> = HashMap::new();
    labels
        .map(|r| {
            let next = number.len();
            *number.entry(r).or_insert(next)
        })
        .collect()
}

/// Groups of a similarity graph under the constant Potts model: the partition maximising, over
/// groups, the similarity inside minus `gamma` times the number of pairs. Unlike modularity,
/// `gamma` means the same on 20 articles as on 10,000 (no resolution limit), and unlike
/// agglomeration a wrongly placed article can move again. Louvain: move each node to the
/// neighbouring group with the best gain until none improves, then repeat on the graph of groups.
pub(super) fn potts(n: usize, edges: &[(u32, u32, f32)], gamma: f64) -> Vec<usize> {
    let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for &(a, b, w) in edges {
        if a != b && w > 0.0 {
            adj[a as usize].push((b as usize, w as f64));
            adj[b as usize].push((a as usize, w as f64));
        }
    }
    let mut size: Vec<f64> = vec![1.0; n];
    let mut member: Vec<usize> = (0..n).collect();
    loop {
        let m = adj.len();
        let mut comm: Vec<usize> = (0..m).collect();
        let mut comm_size = size.clone();
        // summed weight from the node being moved to each group, and which groups were touched
        let mut to = vec![0f64; m];
        let mut touched: Vec<usize> = Vec::new();
        let mut empty: Vec<usize> = Vec::new();
        let mut moved_any = false;
        loop {
            let mut moved = false;
            for i in 0..m {
                let own = comm[i];
                for &(j, w) in &adj[i] {
                    let c = comm[j];
                    if to[c] == 0.0 {
                        touched.push(c);
                    }
                    to[c] += w;
                }
                comm_size[own] -= size[i];
                let gain = |c: usize| to[c] - gamma * size[i] * comm_size[c];
                let mut best = (own, gain(own));
                touched.sort_unstable();
                for &c in &touched {
                    let g = gain(c);
                    if g > best.1 + 1e-12 {
                        best = (c, g);
                    }
                }
                // alone, when every group costs more than it brings (a group with others in it
                // means some group is empty, and every emptied group is on the stack)
                if best.1 < 0.0
                    && let Some(c) = empty.pop()
                {
                    best = (c, 0.0);
                }
                comm_size[best.0] += size[i];
                if best.0 != own {
                    if comm_size[own] == 0.0 {
                        empty.push(own);
                    }
                    comm[i] = best.0;
                    moved = true;
                }
                for &c in &touched {
                    to[c] = 0.0;
                }
                touched.clear();
            }
            if !moved {
                break;
            }
            moved_any = true;
        }
        if !moved_any {
            break;
        }
        let c = renumber(comm.iter().copied());
        let groups = c.iter().max().map_or(0, |x| x + 1);
        for x in member.iter_mut() {
            *x = c[*x];
        }
        let mut new_size = vec![0f64; groups];
        let mut new_adj: Vec<HashMap<usize, f64>> = vec![HashMap::new(); groups];
        for i in 0..m {
            new_size[c[i]] += size[i];
            for &(j, w) in &adj[i] {
                if c[i] != c[j] {
                    *new_adj[c[i]].entry(c[j]).or_insert(0.0) += w;
                }
            }
        }
        size = new_size;
        adj = new_adj
            .into_iter()
            .map(|h| {
                let mut v: Vec<(usize, f64)> = h.into_iter().collect();
                v.sort_unstable_by_key(|x| x.0);
                v
            })
            .collect();
        if groups == m {
            break;
        }
    }
    renumber(member.into_iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn potts_splits_weakly_joined_groups_and_respects_the_threshold() {
        // two 4-cliques (similarity 0.5 inside) joined by one 0.1 edge
        let mut edges = Vec::new();
        for base in [0u32, 4] {
            for a in base..base + 4 {
                for b in a + 1..base + 4 {
                    edges.push((a, b, 0.5));
                }
            }
        }
        edges.push((3, 4, 0.1));
        assert_eq!(potts(8, &edges, 0.2), vec![0, 0, 0, 0, 1, 1, 1, 1]);
        // with no cost per pair any link is worth keeping; above every similarity none is
        assert_eq!(potts(8, &edges, 0.0), vec![0; 8]);
        assert_eq!(potts(8, &edges, 0.6), (0..8).collect::<Vec<_>>());
        assert_eq!(potts(0, &[], 0.1), Vec::<usize>::new());
    }

    #[test]
    fn potts_lets_a_misjoined_article_leave() {
        // 0 first joins 1 (its strongest link), then moves: with 2, 3 and 4 the groups hold more
        // similarity than 0.3 per pair
        let edges =
            [(0, 1, 0.6), (0, 2, 0.45), (0, 3, 0.45), (0, 4, 0.45), (2, 3, 0.5), (2, 4, 0.5), (3, 4, 0.5)];
        let g = potts(5, &edges, 0.3);
        assert_eq!(g, vec![0, 1, 0, 0, 0]);
    }
}
