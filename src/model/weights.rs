//! Weight matrices with bias (notes 1.3.4).
//!
//! ```text
//! z = W x + b = [W | b] [x; 1] = Ŵ [x; 1],   y = σ(z)
//! ```
//!
//! W is M x N: row i is the post-synaptic node i of population Y, column j the
//! pre-synaptic node j of population X.

/// `w x + b` for an M x N matrix (rows of length N).
pub fn affine(w: &[Vec<f64>], x: &[f64], b: &[f64]) -> Vec<f64> {
    w.iter()
        .zip(b)
        .map(|(row, bi)| row.iter().zip(x).map(|(wij, xj)| wij * xj).sum::<f64>() + bi)
        .collect()
}

/// The augmented matrix Ŵ = [W | b]: each row of W with its bias appended.
pub fn augmented(w: &[Vec<f64>], b: &[f64]) -> Vec<Vec<f64>> {
    w.iter()
        .zip(b)
        .map(|(row, &bi)| row.iter().copied().chain(std::iter::once(bi)).collect())
        .collect()
}

/// [x; 1]: the input with the auxiliary constant-1 node appended.
pub fn augmented_input(x: &[f64]) -> Vec<f64> {
    x.iter().copied().chain(std::iter::once(1.0)).collect()
}

/// Ŵ [x; 1] for an augmented matrix Ŵ: equals W x + b.
pub fn apply_augmented(w_hat: &[Vec<f64>], x: &[f64]) -> Vec<f64> {
    let x1 = augmented_input(x);
    w_hat
        .iter()
        .map(|row| row.iter().zip(&x1).map(|(a, b)| a * b).sum())
        .collect()
}

/// Splits an augmented matrix [W | b] back into W and b.
pub fn split_augmented(w_hat: &[Vec<f64>]) -> (Vec<Vec<f64>>, Vec<f64>) {
    let w = w_hat
        .iter()
        .map(|row| row[..row.len().saturating_sub(1)].to_vec())
        .collect();
    let b = w_hat
        .iter()
        .map(|row| *row.last().unwrap_or(&0.0))
        .collect();
    (w, b)
}

/// The two populations of a feed-forward square matrix (row i = post,
/// column j = pre): X, the neurons that send, and Y, those that receive,
/// when no neuron does both (notes 1.3.4: X (N nodes) -> Y (M nodes), W is
/// M x N). `None` when some neuron both sends and receives, or nothing does.
pub fn populations(w: &[Vec<f64>]) -> Option<(Vec<usize>, Vec<usize>)> {
    let n = w.len();
    let sends = |j: usize| w.iter().any(|row| row.get(j).is_some_and(|x| *x != 0.0));
    let receives = |i: usize| w[i].iter().any(|x| *x != 0.0);
    let x: Vec<usize> = (0..n).filter(|&j| sends(j)).collect();
    let y: Vec<usize> = (0..n).filter(|&i| receives(i)).collect();
    let disjoint = x.iter().all(|j| !y.contains(j));
    (disjoint && !x.is_empty() && !y.is_empty()).then_some((x, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_example_three_by_two() {
        let w = vec![vec![1.0, 2.0], vec![3.0, 4.0], vec![5.0, 6.0]];
        let b = vec![0.5, -1.0, 2.0];
        let x = [1.0, -1.0];
        assert_eq!(affine(&w, &x, &b), vec![-0.5, -2.0, 1.0]);
        let w_hat = augmented(&w, &b);
        assert_eq!(w_hat[1], vec![3.0, 4.0, -1.0]);
        assert_eq!(apply_augmented(&w_hat, &x), vec![-0.5, -2.0, 1.0]);
        assert_eq!(split_augmented(&w_hat), (w, b));
    }

    #[test]
    fn feed_forward_populations_are_found() {
        // x1, x2 -> y1, y2, y3 as the notes' 3 x 2 W.
        let mut w = vec![vec![0.0; 5]; 5];
        w[2][0] = 0.03;
        w[3][0] = 0.015;
        w[3][1] = 0.015;
        w[4][1] = -0.02;
        assert_eq!(populations(&w), Some((vec![0, 1], vec![2, 3, 4])));
        // A neuron that both receives and sends: no two populations.
        w[0][4] = 0.1;
        assert_eq!(populations(&w), None);
        assert_eq!(populations(&[vec![0.0; 2], vec![0.0; 2]]), None);
    }
}
