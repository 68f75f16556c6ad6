package io.ukiyoe.eval;
