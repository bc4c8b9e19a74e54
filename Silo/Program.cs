// The standalone silo host comes with cluster mode (issue 4). The embedded grid (Hosting/EmbeddedGrid.cs)
// is what `probegrid run` hosts today.
return 0;
