package io.ukiyoe.graphs;
