package io.ukiyoe.swap;
